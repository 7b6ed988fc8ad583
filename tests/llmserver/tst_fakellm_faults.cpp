// Injected faults as a client observes them: each kind on demand (x-test-fault), latency,
// scripted sequences, and the seeded fault rate. Nothing here reads a clock: a held answer is
// shown by what has (not) arrived while other requests were answered, with delays no test run
// can outlast.
#include "chatbodies.h"
#include "rawhttp.h"
#include "serverprocess.h"

#include <QDeadlineTimer>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include <arpa/inet.h>
#include <cerrno>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace rs::test;

namespace {

const QByteArray kChat = "/v1/chat/completions";
const QByteArray kMessages = "/v1/messages";

/// How a connection ended, seen through a plain socket: Qt reports FIN and RST alike, and the
/// difference is the point of the "reset" fault.
struct Ending {
    QByteArray received;
    bool closed = false; // orderly close (FIN)
    bool reset = false;  // ECONNRESET
    bool timedOut = false;
};

Ending sendAndWatch(quint16 port, const QByteArray &request, int timeoutMs) {
    Ending e;
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return e;
    }
    const QDeadlineTimer deadline(timeoutMs);
    ::send(fd, request.constData(), size_t(request.size()), MSG_NOSIGNAL);
    for (;;) {
        const qint64 left = deadline.remainingTime();
        pollfd p{fd, POLLIN, 0};
        if (left <= 0 || ::poll(&p, 1, int(left)) == 0) {
            e.timedOut = true;
            break;
        }
        char buf[4096];
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n > 0) {
            e.received.append(buf, n);
            continue;
        }
        e.closed = n == 0;
        e.reset = n < 0 && errno == ECONNRESET;
        break;
    }
    ::close(fd);
    return e;
}

/// True when nothing (no byte, no FIN, no RST) has arrived on the client's connection: its
/// request is still held by the server.
bool silentAndOpen(RawHttpClient &c) {
    QTcpSocket &socket = c.socket();
    socket.waitForReadyRead(0); // takes in whatever the kernel already has
    return socket.bytesAvailable() == 0 && socket.state() == QAbstractSocket::ConnectedState;
}

qint64 counter(const QJsonObject &stats, const QString &group, const QString &key) {
    return stats.value(group).toObject().value(key).toInteger();
}

QByteArray postBytes(const QByteArray &path, const QByteArray &body, const QByteArray &fault) {
    return "POST " + path +
           " HTTP/1.1\r\nContent-Type: application/json\r\nx-test-fault: " + fault +
           "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

const QString kJudgeUser = QStringLiteral("<<<RESPONSE\nshort answer\nRESPONSE>>>\n<<<CRITERIA\n"
                                          "c1: The response mentions \"short\".\nCRITERIA>>>");

} // namespace

class TestFaults final : public QObject {
    Q_OBJECT
private:
    ServerProcess m_server;
    RawHttpClient m_client;

    RawResponse post(RawHttpClient &c, const QByteArray &path, const QByteArray &fault,
                     const QString &user = QStringLiteral("hello"), bool stream = false) {
        QJsonObject extra;
        if (stream)
            extra.insert(QStringLiteral("stream"), true);
        const QByteArray body =
            path == kChat
                ? openAiBody(QStringLiteral("m"), QStringLiteral("[role:judge]"), user, extra)
                : anthropicBody(QStringLiteral("m"), QStringLiteral("[role:judge]"), user, extra);
        Headers headers;
        if (!fault.isEmpty())
            headers.append({"x-test-fault", fault});
        return c.request("POST", path, body, headers);
    }

    /// Status codes of n sequential chat requests on a fresh server started with args.
    QList<int> statusSequence(const QStringList &args, int n) {
        ServerProcess server;
        if (!server.start(args))
            return {};
        QList<int> out;
        for (int i = 0; i < n; ++i) {
            // A fresh connection each time: "reset" and "truncated" end their connection.
            RawHttpClient c;
            if (!c.connectTo(server.port()))
                return {};
            out.append(post(c, kChat, {}).status);
        }
        return out;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY2(m_server.start({QStringLiteral("--retry-after"), QStringLiteral("7"),
                                 QStringLiteral("--stall-ms"), QStringLiteral("600")}),
                 qPrintable(m_server.errorString()));
        QVERIFY(m_client.connectTo(m_server.port()));
    }

    void statusFaults_comeWithApiShapedErrorBodies_data() {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("fault");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("errorKind"); // OpenAI error.type / Anthropic error.type
        QTest::newRow("openai 429")
            << kChat << QByteArray("429") << 429 << QStringLiteral("requests");
        QTest::newRow("openai 500")
            << kChat << QByteArray("500") << 500 << QStringLiteral("server_error");
        QTest::newRow("openai 503")
            << kChat << QByteArray("503") << 503 << QStringLiteral("server_error");
        QTest::newRow("anthropic 429")
            << kMessages << QByteArray("429") << 429 << QStringLiteral("rate_limit_error");
        QTest::newRow("anthropic 500")
            << kMessages << QByteArray("500") << 500 << QStringLiteral("api_error");
        QTest::newRow("anthropic 503")
            << kMessages << QByteArray("503") << 503 << QStringLiteral("overloaded_error");
    }
    void statusFaults_comeWithApiShapedErrorBodies() {
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, fault);
        QFETCH(int, status);
        QFETCH(QString, errorKind);
        const RawResponse r = post(m_client, path, fault);
        QCOMPARE(r.status, status);
        QCOMPARE(r.header("retry-after"), status == 429 ? QByteArray("7") : QByteArray());
        const QJsonObject error = r.json().value(QStringLiteral("error")).toObject();
        QCOMPARE(error.value(QStringLiteral("type")).toString(), errorKind);
        QVERIFY(!error.value(QStringLiteral("message")).toString().isEmpty());
        if (path == kMessages)
            QCOMPARE(r.json().value(QStringLiteral("type")).toString(), QStringLiteral("error"));
        else if (status == 429)
            QCOMPARE(error.value(QStringLiteral("code")).toString(),
                     QStringLiteral("rate_limit_exceeded"));
        // The connection stays usable, as after a real error response.
        QCOMPARE(post(m_client, path, {}).status, 200);
    }

    void stall_keepsTheConnectionSilentUntilStallMsThenCloses() {
        // While stalled: on a server whose stall outlasts any test run, the stalled connection
        // has received nothing and is still open once the server has counted the stall and
        // answered another connection.
        ServerProcess holding;
        QVERIFY2(holding.start({QStringLiteral("--stall-ms"), QStringLiteral("600000")}),
                 qPrintable(holding.errorString()));
        RawHttpClient stalled;
        QVERIFY(stalled.connectTo(holding.port()));
        stalled.sendRaw(
            postBytes(kChat, openAiBody(QStringLiteral("m"), {}, QStringLiteral("x")), "stall"));
        QTRY_COMPARE(counter(holding.stats(), QStringLiteral("by_fault"), QStringLiteral("stall")),
                     1);
        QVERIFY(silentAndOpen(stalled));

        // Once --stall-ms (600 here) is over, the server closes with FIN, still without a byte.
        const Ending e = sendAndWatch(
            m_server.port(),
            postBytes(kChat, openAiBody(QStringLiteral("m"), {}, QStringLiteral("x")), "stall"),
            60000);
        QVERIFY(e.received.isEmpty());
        QVERIFY(e.closed);
        QVERIFY(!e.reset);
        QVERIFY(!e.timedOut);
    }

    void reset_dropsTheConnectionWithRst() {
        const Ending e = sendAndWatch(
            m_server.port(),
            postBytes(kMessages, anthropicBody(QStringLiteral("m"), {}, QStringLiteral("x")),
                      "reset"),
            5000);
        QVERIFY(e.received.isEmpty());
        QVERIFY(e.reset);
    }

    void truncated_promisesMoreBytesThanItSends() {
        const Ending e = sendAndWatch(
            m_server.port(),
            postBytes(kChat, openAiBody(QStringLiteral("m"), {}, QStringLiteral("x")), "truncated"),
            5000);
        QVERIFY(e.closed);
        const qsizetype headEnd = e.received.indexOf("\r\n\r\n");
        QVERIFY(e.received.startsWith("HTTP/1.1 200 OK\r\n"));
        const QByteArray head = e.received.left(headEnd);
        const qsizetype at = head.indexOf("Content-Length: ");
        const qsizetype declared = head.mid(at + 16, head.indexOf('\r', at) - at - 16).toLongLong();
        const qsizetype got = e.received.size() - headEnd - 4;
        QVERIFY2(got > 0 && got < declared,
                 qPrintable(QStringLiteral("%1 of %2").arg(got).arg(declared)));

        RawHttpClient c;
        QVERIFY(c.connectTo(m_server.port()));
        const RawResponse r = post(c, kMessages, "truncated");
        QCOMPARE(r.status, 200);
        QVERIFY(!r.complete);
        QVERIFY(r.peerClosed);
    }

    void malformed_isA200WhoseBodyDoesNotParse_data() {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<bool>("stream");
        QTest::newRow("openai") << kChat << false;
        QTest::newRow("anthropic") << kMessages << false;
        QTest::newRow("openai stream") << kChat << true;
        QTest::newRow("anthropic stream") << kMessages << true;
    }
    void malformed_isA200WhoseBodyDoesNotParse() {
        QFETCH(QByteArray, path);
        QFETCH(bool, stream);
        const RawResponse r = post(m_client, path, "malformed", kJudgeUser, stream);
        QCOMPARE(r.status, 200);
        QVERIFY(r.complete); // the framing is intact; only the JSON is broken
        QJsonParseError error{};
        if (!stream) {
            QJsonDocument::fromJson(r.body, &error);
            QVERIFY(error.error != QJsonParseError::NoError);
        } else {
            const qsizetype start = r.body.indexOf("data: ") + 6;
            QJsonDocument::fromJson(r.body.mid(start, r.body.indexOf('\n', start) - start), &error);
            QVERIFY(error.error != QJsonParseError::NoError);
        }
        QCOMPARE(post(m_client, path, {}).status, 200);
    }

    void fenced_wrapsTheNormalAnswerInACodeFenceAndChatter() {
        const QString normal = openAiContent(post(m_client, kChat, {}, kJudgeUser).json());
        QCOMPARE(normal, QStringLiteral("{\"c1\":\"yes\"}"));
        const RawResponse r = post(m_client, kChat, "fenced", kJudgeUser);
        QCOMPARE(r.status, 200);
        QCOMPARE(openAiContent(r.json()),
                 QStringLiteral("Sure! Here is the result:\n```json\n") + normal +
                     QStringLiteral("\n```\nLet me know if you need anything else."));
        const RawResponse a = post(m_client, kMessages, "fenced", kJudgeUser);
        QVERIFY(anthropicText(a.json()).contains(QStringLiteral("```json\n") + normal +
                                                 QStringLiteral("\n```")));
    }

    void faultHeader_okForcesNoFaultAndUnknownKindsAre400() {
        QCOMPARE(post(m_client, kChat, "ok").status, 200);
        const RawResponse r = post(m_client, kChat, "explode");
        QCOMPARE(r.status, 400);
        QVERIFY(r.json()
                    .value(QStringLiteral("error"))
                    .toObject()
                    .value(QStringLiteral("message"))
                    .toString()
                    .contains(QStringLiteral("explode")));
    }

    void stats_countInjectedFaults() {
        RawHttpClient c;
        QVERIFY(c.connectTo(m_server.port()));
        const QJsonObject before = c.request("GET", "/stats").json();
        post(c, kChat, "429");
        post(c, kChat, "fenced");
        const QJsonObject after = c.request("GET", "/stats").json();
        const auto delta = [&](const QString &kind) {
            return after.value(QStringLiteral("by_fault")).toObject().value(kind).toInteger() -
                   before.value(QStringLiteral("by_fault")).toObject().value(kind).toInteger();
        };
        QCOMPARE(delta(QStringLiteral("429")), 1);
        QCOMPARE(delta(QStringLiteral("fenced")), 1);
        QCOMPARE(delta(QStringLiteral("ok")), 0);
    }

    void latency_delaysModelAnswersButNotHealth() {
        // A default latency no test run can outlast: an answer that has not arrived while later
        // requests were answered is being delayed, however fast or slow the machine is.
        ServerProcess slow;
        QVERIFY2(slow.start({QStringLiteral("--latency-ms"), QStringLiteral("600000")}),
                 qPrintable(slow.errorString()));
        const QByteArray body = openAiBody(QStringLiteral("m"), {}, QStringLiteral("x"));
        RawHttpClient held;
        QVERIFY(held.connectTo(slow.port()));
        held.send("POST", kChat, body);
        // Errors are delayed like answers: a 429 is held too.
        RawHttpClient heldError;
        QVERIFY(heldError.connectTo(slow.port()));
        heldError.send("POST", kChat, body, {{"x-test-fault", "429"}});
        // Both were read and decided (the server counted them)...
        QTRY_COMPARE(slow.stats().value(QStringLiteral("model_requests")).toInteger(), 2);
        QCOMPARE(counter(slow.stats(), QStringLiteral("by_fault"), QStringLiteral("429")), 1);

        // ...while /health and a model request that asks for no latency are answered at once.
        RawHttpClient c;
        QVERIFY(c.connectTo(slow.port()));
        QCOMPARE(c.request("GET", "/health").status, 200);
        const RawResponse now = c.request("POST", kChat, body, {{"x-test-latency-ms", "0"}});
        QCOMPARE(now.status, 200);
        QVERIFY(now.complete);
        QVERIFY(silentAndOpen(held));
        QVERIFY(silentAndOpen(heldError));
        QCOMPARE(c.request("POST", kChat, "{}", {{"x-test-latency-ms", "soon"}}).status, 400);

        // A delay that does end delivers the whole answer, and a pipelined request behind it
        // waits its turn: answers keep the request order.
        RawHttpClient d;
        QVERIFY(d.connectTo(m_server.port()));
        d.send("POST", kChat, openAiBody(QStringLiteral("m"), {}, QStringLiteral("first")),
               {{"x-test-latency-ms", "50"}});
        d.send("POST", kChat, openAiBody(QStringLiteral("m"), {}, QStringLiteral("second")));
        const RawResponse first = d.read();
        const RawResponse second = d.read();
        QVERIFY(first.complete && second.complete);
        QCOMPARE(openAiContent(first.json()), QStringLiteral("Echo: first"));
        QCOMPARE(openAiContent(second.json()), QStringLiteral("Echo: second"));
    }

    void script_appliesInArrivalOrderThenFallsBackToTheRate() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("faults.txt"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("429\nok\n# a comment\n\n500\nfenced\nreset\n");
        f.close();
        ServerProcess scripted;
        QVERIFY2(scripted.start({QStringLiteral("--script"), path}),
                 qPrintable(scripted.errorString()));
        RawHttpClient c;
        QVERIFY(c.connectTo(scripted.port()));
        QCOMPARE(post(c, kChat, {}).status, 429);
        // A header override does not use up a script line.
        QCOMPARE(post(c, kChat, "503").status, 503);
        // Non-model requests do not either.
        QCOMPARE(c.request("GET", "/health").status, 200);
        QCOMPARE(post(c, kChat, {}).status, 200);
        QCOMPARE(post(c, kMessages, {}).status, 500);
        QVERIFY(anthropicText(post(c, kMessages, {}).json())
                    .startsWith(QStringLiteral("Sure! Here is")));
        const RawResponse reset = post(c, kChat, {});
        QCOMPARE(reset.status, 0);
        QVERIFY(reset.peerClosed);
        // Script used up, rate 0: normal answers from now on.
        RawHttpClient again;
        QVERIFY(again.connectTo(scripted.port()));
        for (int i = 0; i < 5; ++i)
            QCOMPARE(post(again, kChat, {}).status, 200);
    }

    void faultRate_isReproducibleForASeed() {
        const QStringList args{QStringLiteral("--fault-rate"), QStringLiteral("0.5"),
                               QStringLiteral("--faults"),     QStringLiteral("429,500,503"),
                               QStringLiteral("--seed"),       QStringLiteral("42")};
        const QList<int> first = statusSequence(args, 40);
        const QList<int> second = statusSequence(args, 40);
        QCOMPARE(first.size(), 40);
        QCOMPARE(first, second);
        QVERIFY(first.count(200) >= 8 && first.count(200) <= 32);
        for (const int status : {429, 500, 503})
            QVERIFY2(first.contains(status), qPrintable(QString::number(status)));

        QStringList otherSeed = args;
        otherSeed.last() = QStringLiteral("7");
        QVERIFY(statusSequence(otherSeed, 40) != first);
    }

    void faultRateOne_withOneKind_failsEveryRequest() {
        const QList<int> statuses =
            statusSequence({QStringLiteral("--fault-rate"), QStringLiteral("1"),
                            QStringLiteral("--faults"), QStringLiteral("503")},
                           10);
        QCOMPARE(statuses, QList<int>(10, 503));
    }
};

QTEST_GUILESS_MAIN(TestFaults)
#include "tst_fakellm_faults.moc"
