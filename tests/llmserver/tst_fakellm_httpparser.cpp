// The server's HTTP/1.1 request parser, fed the way TCP delivers bytes: whole, pipelined, and
// split at every possible byte.
#include "httpparser.h"

#include <QTest>

using rs::llmserver::HttpParser;
using rs::llmserver::HttpRequest;

namespace {
const QByteArray kPost = "POST /v1/chat/completions?x=1 HTTP/1.1\r\n"
                         "Host: 127.0.0.1\r\n"
                         "Content-Type: application/json\r\n"
                         "Content-Length: 15\r\n"
                         "\r\n"
                         "{\"model\":\"m\"}\r\n";
} // namespace

class TestHttpParser final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void post_parsesMethodPathHeadersAndBody() {
        HttpParser p;
        p.append(kPost);
        QCOMPARE(p.next(), HttpParser::State::Ready);
        const HttpRequest r = p.take();
        QCOMPARE(r.method, QByteArray("POST"));
        QCOMPARE(r.path, QByteArray("/v1/chat/completions")); // query string dropped
        QCOMPARE(r.header("content-type"), QByteArray("application/json"));
        QCOMPARE(r.body, QByteArray("{\"model\":\"m\"}\r\n"));
        QCOMPARE(p.next(), HttpParser::State::NeedMore);
    }

    void post_splitAtEveryByte_isReadyOnlyAtTheLastByte() {
        for (qsizetype split = 1; split < kPost.size(); ++split) {
            HttpParser p;
            p.append(kPost.left(split));
            QCOMPARE(p.next(), HttpParser::State::NeedMore);
            p.append(kPost.mid(split));
            QCOMPARE(p.next(), HttpParser::State::Ready);
            QCOMPARE(p.take().body.size(), 15);
        }
        HttpParser bytewise;
        for (qsizetype i = 0; i < kPost.size(); ++i) {
            QCOMPARE(bytewise.next(), HttpParser::State::NeedMore);
            bytewise.append(kPost.mid(i, 1));
        }
        QCOMPARE(bytewise.next(), HttpParser::State::Ready);
    }

    void pipelined_requestsComeOutInOrder() {
        HttpParser p;
        p.append(QByteArray(kPost + "GET /health HTTP/1.1\r\n\r\n" + kPost));
        QCOMPARE(p.next(), HttpParser::State::Ready);
        QCOMPARE(p.take().method, QByteArray("POST"));
        QCOMPARE(p.next(), HttpParser::State::Ready);
        QCOMPARE(p.take().path, QByteArray("/health"));
        QCOMPARE(p.next(), HttpParser::State::Ready);
        QCOMPARE(p.take().body.size(), 15);
        QCOMPARE(p.next(), HttpParser::State::NeedMore);
    }

    void bareLineFeeds_areAccepted() {
        HttpParser p;
        p.append("GET /stats HTTP/1.1\nHost: x\n\n");
        QCOMPARE(p.next(), HttpParser::State::Ready);
        QCOMPARE(p.take().path, QByteArray("/stats"));
    }

    void keepAlive_followsTheHttpVersionDefaults_data() {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<bool>("keepAlive");
        QTest::newRow("1.1 default") << QByteArray("GET / HTTP/1.1\r\n\r\n") << true;
        QTest::newRow("1.1 close")
            << QByteArray("GET / HTTP/1.1\r\nConnection: close\r\n\r\n") << false;
        QTest::newRow("1.0 default") << QByteArray("GET / HTTP/1.0\r\n\r\n") << false;
        QTest::newRow("1.0 keep-alive")
            << QByteArray("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n") << true;
    }
    void keepAlive_followsTheHttpVersionDefaults() {
        QFETCH(QByteArray, head);
        QFETCH(bool, keepAlive);
        HttpParser p;
        p.append(head);
        QCOMPARE(p.next(), HttpParser::State::Ready);
        QCOMPARE(p.take().keepAlive(), keepAlive);
    }

    void badInput_failsWithTheMatchingStatus_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("status");
        QTest::newRow("chunked") << QByteArray(
                                        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")
                                 << 501;
        QTest::newRow("bad length")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: ten\r\n\r\n") << 400;
        QTest::newRow("two lengths")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")
            << 400;
        QTest::newRow("too large")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 999999999999\r\n\r\n") << 413;
        QTest::newRow("http/2") << QByteArray("GET / HTTP/2.0\r\n\r\n") << 505;
        QTest::newRow("no target") << QByteArray("GET\r\n\r\n") << 400;
        QTest::newRow("header without colon")
            << QByteArray("GET / HTTP/1.1\r\nnonsense\r\n\r\n") << 400;
        QTest::newRow("endless head")
            << QByteArray("GET / HTTP/1.1\r\nX: " + QByteArray(70000, 'a')) << 431;
    }
    void badInput_failsWithTheMatchingStatus() {
        QFETCH(QByteArray, bytes);
        QFETCH(int, status);
        HttpParser p;
        p.append(bytes);
        QCOMPARE(p.next(), HttpParser::State::Failed);
        QCOMPARE(p.errorStatus(), status);
        QVERIFY(!p.errorText().isEmpty());
    }

    void expectContinue_isOfferedOnceBeforeTheBody() {
        HttpParser p;
        p.append("POST /v1/messages HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
        QCOMPARE(p.next(), HttpParser::State::NeedMore);
        QVERIFY(p.takeContinue());
        QVERIFY(!p.takeContinue());
        p.append("{}");
        QCOMPARE(p.next(), HttpParser::State::Ready);
        QCOMPARE(p.take().body, QByteArray("{}"));
    }
};

QTEST_GUILESS_MAIN(TestHttpParser)
#include "tst_fakellm_httpparser.moc"
