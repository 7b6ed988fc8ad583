// The wire protocol of rs-llm-test-server as a client sees it: both API shapes, streaming,
// errors, keep-alive and pipelining, /stats, /health, /v1/models, and quiet logging.
#include "chatbodies.h"
#include "rawhttp.h"
#include "serverprocess.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTest>

using namespace rs::test;

namespace {

const QByteArray kChat = "/v1/chat/completions";
const QByteArray kMessages = "/v1/messages";

int quarterUp(qsizetype chars) {
    return int((chars + 3) / 4);
}

/// The JSON payloads of the "data:" lines of a server-sent-event body, "[DONE]" excluded.
QList<QJsonObject> sseData(const QByteArray &body, bool *sawDone = nullptr) {
    QList<QJsonObject> out;
    if (sawDone)
        *sawDone = false;
    for (const QByteArray &line : body.split('\n')) {
        if (!line.startsWith("data: "))
            continue;
        const QByteArray payload = line.mid(6);
        if (payload == "[DONE]") {
            if (sawDone)
                *sawDone = true;
            continue;
        }
        out.append(QJsonDocument::fromJson(payload).object());
    }
    return out;
}

} // namespace

class TestProtocol final : public QObject {
    Q_OBJECT
private:
    ServerProcess m_server;
    RawHttpClient m_client;

    QJsonObject stats() {
        RawHttpClient c;
        if (!c.connectTo(m_server.port()))
            return {};
        return c.request("GET", "/stats").json();
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
        QVERIFY(m_client.connectTo(m_server.port()));
    }

    void health_answersOk() {
        const RawResponse r = m_client.request("GET", "/health");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, QByteArray("ok"));
    }

    void models_listsTheTestModelsInBothShapes() {
        const RawResponse openAi = m_client.request("GET", "/v1/models");
        QCOMPARE(openAi.status, 200);
        QCOMPARE(openAi.json().value(QStringLiteral("object")).toString(), QStringLiteral("list"));
        const QJsonArray data = openAi.json().value(QStringLiteral("data")).toArray();
        QCOMPARE(data.size(), 5);
        QCOMPARE(data.at(2).toObject().value(QStringLiteral("id")).toString(),
                 QStringLiteral("rs-test-judge"));

        const RawResponse anthropic =
            m_client.request("GET", "/v1/models", {}, {{"anthropic-version", "2023-06-01"}});
        QCOMPARE(anthropic.json().value(QStringLiteral("has_more")).toBool(true), false);
        QCOMPARE(anthropic.json()
                     .value(QStringLiteral("data"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QStringLiteral("type"))
                     .toString(),
                 QStringLiteral("model"));
    }

    void chatCompletion_hasTheOpenAiShape() {
        const RawResponse r = m_client.request(
            "POST", kChat, openAiBody(QStringLiteral("gpt-test"), {}, QStringLiteral("hello")));
        QCOMPARE(r.status, 200);
        QVERIFY(r.header("content-type").startsWith("application/json"));
        const QJsonObject j = r.json();
        QVERIFY(j.value(QStringLiteral("id")).toString().startsWith(QStringLiteral("chatcmpl-")));
        QCOMPARE(j.value(QStringLiteral("object")).toString(), QStringLiteral("chat.completion"));
        QVERIFY(j.value(QStringLiteral("created")).toInteger() > 0);
        QCOMPARE(j.value(QStringLiteral("model")).toString(), QStringLiteral("gpt-test"));
        const QJsonObject choice = j.value(QStringLiteral("choices")).toArray().at(0).toObject();
        QCOMPARE(choice.value(QStringLiteral("index")).toInt(-1), 0);
        QCOMPARE(choice.value(QStringLiteral("finish_reason")).toString(), QStringLiteral("stop"));
        const QJsonObject message = choice.value(QStringLiteral("message")).toObject();
        QCOMPARE(message.value(QStringLiteral("role")).toString(), QStringLiteral("assistant"));
        QCOMPARE(message.value(QStringLiteral("content")).toString(),
                 QStringLiteral("Echo: hello"));
        const QJsonObject usage = j.value(QStringLiteral("usage")).toObject();
        QCOMPARE(usage.value(QStringLiteral("prompt_tokens")).toInt(), quarterUp(5));
        QCOMPARE(usage.value(QStringLiteral("completion_tokens")).toInt(), quarterUp(11));
        QCOMPARE(usage.value(QStringLiteral("total_tokens")).toInt(), quarterUp(5) + quarterUp(11));
    }

    void messages_hasTheAnthropicShape() {
        const RawResponse r =
            m_client.request("POST", kMessages,
                             anthropicBody(QStringLiteral("claude-test"),
                                           QStringLiteral("Be brief."), QStringLiteral("hello")),
                             {{"anthropic-version", "2023-06-01"}, {"x-api-key", "sk-test"}});
        QCOMPARE(r.status, 200);
        const QJsonObject j = r.json();
        QVERIFY(j.value(QStringLiteral("id")).toString().startsWith(QStringLiteral("msg_")));
        QCOMPARE(j.value(QStringLiteral("type")).toString(), QStringLiteral("message"));
        QCOMPARE(j.value(QStringLiteral("role")).toString(), QStringLiteral("assistant"));
        QCOMPARE(j.value(QStringLiteral("model")).toString(), QStringLiteral("claude-test"));
        QCOMPARE(j.value(QStringLiteral("stop_reason")).toString(), QStringLiteral("end_turn"));
        const QJsonObject block = j.value(QStringLiteral("content")).toArray().at(0).toObject();
        QCOMPARE(block.value(QStringLiteral("type")).toString(), QStringLiteral("text"));
        QCOMPARE(block.value(QStringLiteral("text")).toString(), QStringLiteral("Echo: hello"));
        const QJsonObject usage = j.value(QStringLiteral("usage")).toObject();
        // The system prompt counts: "Be brief." (9) + "hello" (5).
        QCOMPARE(usage.value(QStringLiteral("input_tokens")).toInt(), quarterUp(14));
        QCOMPARE(usage.value(QStringLiteral("output_tokens")).toInt(), quarterUp(11));
    }

    void contentBlocks_areReadInBothApis() {
        // Anthropic: system as text blocks carrying the role marker; user content as blocks.
        const QJsonObject anthropic{
            {QStringLiteral("model"), QStringLiteral("m")},
            {QStringLiteral("max_tokens"), 10},
            {QStringLiteral("system"),
             QJsonArray{QJsonObject{
                 {QStringLiteral("type"), QStringLiteral("text")},
                 {QStringLiteral("text"), QStringLiteral("You judge. [role:pairwise]")}}}},
            {QStringLiteral("messages"),
             QJsonArray{QJsonObject{
                 {QStringLiteral("role"), QStringLiteral("user")},
                 {QStringLiteral("content"),
                  QJsonArray{
                      QJsonObject{{QStringLiteral("type"), QStringLiteral("text")},
                                  {QStringLiteral("text"), QStringLiteral("<<<A\none\nA>>>")}},
                      QJsonObject{
                          {QStringLiteral("type"), QStringLiteral("text")},
                          {QStringLiteral("text"), QStringLiteral("<<<B\ntwo words\nB>>>")}}}}}}}};
        const RawResponse a =
            m_client.request("POST", kMessages, QJsonDocument(anthropic).toJson());
        QCOMPARE(a.status, 200);
        QCOMPARE(parseAnswer(anthropicText(a.json()))
                     .object()
                     .value(QStringLiteral("better"))
                     .toString(),
                 QStringLiteral("B"));

        // OpenAI: content parts are joined with newlines.
        const QJsonObject openAi{
            {QStringLiteral("model"), QStringLiteral("m")},
            {QStringLiteral("messages"),
             QJsonArray{QJsonObject{
                 {QStringLiteral("role"), QStringLiteral("user")},
                 {QStringLiteral("content"),
                  QJsonArray{
                      QJsonObject{{QStringLiteral("type"), QStringLiteral("text")},
                                  {QStringLiteral("text"), QStringLiteral("part one")}},
                      QJsonObject{{QStringLiteral("type"), QStringLiteral("text")},
                                  {QStringLiteral("text"), QStringLiteral("part two")}}}}}}}};
        const RawResponse o = m_client.request("POST", kChat, QJsonDocument(openAi).toJson());
        QCOMPARE(openAiContent(o.json()), QStringLiteral("Echo: part one\npart two"));
    }

    void streamOpenAi_deltasJoinToTheAnswerAndEndWithDone() {
        const QString user = QStringLiteral("a message long enough to need several stream chunks, "
                                            "since each delta carries at most 24 characters");
        const RawResponse plain =
            m_client.request("POST", kChat, openAiBody(QStringLiteral("m"), {}, user));
        const RawResponse r =
            m_client.request("POST", kChat,
                             openAiBody(QStringLiteral("m"), {}, user,
                                        {{QStringLiteral("stream"), true},
                                         {QStringLiteral("stream_options"),
                                          QJsonObject{{QStringLiteral("include_usage"), true}}}}));
        QCOMPARE(r.status, 200);
        QVERIFY(r.header("content-type").startsWith("text/event-stream"));
        bool done = false;
        const QList<QJsonObject> chunks = sseData(r.body, &done);
        QVERIFY(done);
        QVERIFY(chunks.size() > 4);
        QString joined;
        QString finish;
        QJsonObject usage;
        for (const QJsonObject &c : chunks) {
            QCOMPARE(c.value(QStringLiteral("object")).toString(),
                     QStringLiteral("chat.completion.chunk"));
            const QJsonObject choice =
                c.value(QStringLiteral("choices")).toArray().at(0).toObject();
            joined += choice.value(QStringLiteral("delta"))
                          .toObject()
                          .value(QStringLiteral("content"))
                          .toString();
            if (choice.value(QStringLiteral("finish_reason")).isString())
                finish = choice.value(QStringLiteral("finish_reason")).toString();
            if (c.contains(QStringLiteral("usage")))
                usage = c.value(QStringLiteral("usage")).toObject();
        }
        QCOMPARE(joined, openAiContent(plain.json()));
        QCOMPARE(finish, QStringLiteral("stop"));
        QCOMPARE(usage, plain.json().value(QStringLiteral("usage")).toObject());
    }

    void streamAnthropic_eventsFollowTheMessageSequence() {
        const QString user = QStringLiteral("stream this answer in several text deltas please");
        const RawResponse r = m_client.request(
            "POST", kMessages,
            anthropicBody(QStringLiteral("m"), {}, user, {{QStringLiteral("stream"), true}}));
        QCOMPARE(r.status, 200);
        QStringList types;
        QString joined;
        for (const QJsonObject &e : sseData(r.body)) {
            types.append(e.value(QStringLiteral("type")).toString());
            joined += e.value(QStringLiteral("delta"))
                          .toObject()
                          .value(QStringLiteral("text"))
                          .toString();
        }
        QCOMPARE(types.first(), QStringLiteral("message_start"));
        QCOMPARE(types.at(1), QStringLiteral("content_block_start"));
        QCOMPARE(types.last(), QStringLiteral("message_stop"));
        QCOMPARE(types.at(types.size() - 2), QStringLiteral("message_delta"));
        QVERIFY(types.count(QStringLiteral("content_block_delta")) >= 2);
        QVERIFY(r.body.contains("event: message_start\n"));
        QCOMPARE(joined, QStringLiteral("Echo: ") + user);
    }

    void badRequests_get400InTheApisErrorShape() {
        const RawResponse notJson = m_client.request("POST", kChat, "{\"model\": ");
        QCOMPARE(notJson.status, 400);
        QCOMPARE(notJson.json()
                     .value(QStringLiteral("error"))
                     .toObject()
                     .value(QStringLiteral("type"))
                     .toString(),
                 QStringLiteral("invalid_request_error"));

        const RawResponse noMessages =
            m_client.request("POST", kMessages, "{\"model\":\"m\",\"max_tokens\":5}");
        QCOMPARE(noMessages.status, 400);
        QCOMPARE(noMessages.json().value(QStringLiteral("type")).toString(),
                 QStringLiteral("error"));
        QCOMPARE(noMessages.json()
                     .value(QStringLiteral("error"))
                     .toObject()
                     .value(QStringLiteral("type"))
                     .toString(),
                 QStringLiteral("invalid_request_error"));

        const RawResponse badRole = m_client.request(
            "POST", kMessages,
            "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}");
        QCOMPARE(badRole.status, 400);
        // The connection survives client errors.
        QCOMPARE(m_client.request("GET", "/health").status, 200);
    }

    void unknownRoutes_get404AndWrongMethods405() {
        QCOMPARE(m_client.request("GET", "/v1/completions").status, 404);
        const RawResponse r = m_client.request("GET", kChat);
        QCOMPARE(r.status, 405);
        QCOMPARE(r.header("allow"), QByteArray("POST"));
        QCOMPARE(m_client.request("POST", "/health", "{}").status, 405);
    }

    void keepAlive_servesManySequentialRequestsOnOneConnection() {
        const QJsonObject before = stats();
        RawHttpClient c;
        QVERIFY(c.connectTo(m_server.port()));
        for (int i = 0; i < 300; ++i) {
            const QString user = QStringLiteral("request %1").arg(i);
            const RawResponse r = c.request("POST", i % 2 ? kChat : kMessages,
                                            i % 2 ? openAiBody(QStringLiteral("m"), {}, user)
                                                  : anthropicBody(QStringLiteral("m"), {}, user));
            QCOMPARE(r.status, 200);
            QCOMPARE(r.header("connection"), QByteArray("keep-alive"));
            QVERIFY(!r.peerClosed);
            const QString text = i % 2 ? openAiContent(r.json()) : anthropicText(r.json());
            QCOMPARE(text, QStringLiteral("Echo: ") + user);
        }
        const QJsonObject after = stats();
        // One new connection for the 300 requests (stats() itself opens two more).
        QCOMPARE(after.value(QStringLiteral("connections_total")).toInteger() -
                     before.value(QStringLiteral("connections_total")).toInteger(),
                 2);
        QCOMPARE(after.value(QStringLiteral("model_requests")).toInteger() -
                     before.value(QStringLiteral("model_requests")).toInteger(),
                 300);
    }

    void pipelinedRequests_areAnsweredInOrder() {
        RawHttpClient c;
        QVERIFY(c.connectTo(m_server.port()));
        QByteArray all;
        for (int i = 0; i < 20; ++i) {
            const QByteArray body =
                openAiBody(QStringLiteral("m"), {}, QStringLiteral("n%1").arg(i));
            all += "POST /v1/chat/completions HTTP/1.1\r\nContent-Length: " +
                   QByteArray::number(body.size()) + "\r\n\r\n" + body;
        }
        c.sendRaw(all);
        for (int i = 0; i < 20; ++i)
            QCOMPARE(openAiContent(c.read().json()), QStringLiteral("Echo: n%1").arg(i));
    }

    void connectionClose_closesAfterTheAnswer() {
        RawHttpClient c;
        QVERIFY(c.connectTo(m_server.port()));
        const RawResponse r = c.request("GET", "/health", {}, {{"Connection", "close"}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("connection"), QByteArray("close"));
        QVERIFY(r.peerClosed);
    }

    void expect100Continue_getsContinueBeforeTheBody() {
        RawHttpClient c;
        QVERIFY(c.connectTo(m_server.port()));
        const QByteArray body =
            openAiBody(QStringLiteral("m"), {}, QStringLiteral("after continue"));
        c.sendRaw("POST /v1/chat/completions HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: " +
                  QByteArray::number(body.size()) + "\r\n\r\n");
        QVERIFY(c.socket().waitForReadyRead(5000));
        QVERIFY(c.socket().peek(64).startsWith("HTTP/1.1 100 Continue\r\n\r\n"));
        c.sendRaw(body);
        const RawResponse r = c.read(); // skips the 100
        QCOMPARE(r.status, 200);
        QCOMPARE(openAiContent(r.json()), QStringLiteral("Echo: after continue"));
    }

    void stats_countPathsRolesApisAndStatuses() {
        const QJsonObject before = stats();
        RawHttpClient c;
        QVERIFY(c.connectTo(m_server.port()));
        c.request("POST", kChat,
                  openAiBody(QStringLiteral("judge-model"), {}, QStringLiteral("x")));
        c.request("POST", kMessages,
                  anthropicBody(QStringLiteral("m"), QStringLiteral("[role:proposer]"),
                                QStringLiteral("x")));
        c.request("GET", "/nope");
        const QJsonObject after = stats();
        const auto delta = [&](const QString &group, const QString &key) {
            return after.value(group).toObject().value(key).toInteger() -
                   before.value(group).toObject().value(key).toInteger();
        };
        QCOMPARE(after.value(QStringLiteral("requests_total")).toInteger() -
                     before.value(QStringLiteral("requests_total")).toInteger(),
                 3);
        QCOMPARE(delta(QStringLiteral("by_role"), QStringLiteral("judge")), 1);
        QCOMPARE(delta(QStringLiteral("by_role"), QStringLiteral("proposer")), 1);
        QCOMPARE(delta(QStringLiteral("by_api"), QStringLiteral("openai")), 1);
        QCOMPARE(delta(QStringLiteral("by_api"), QStringLiteral("anthropic")), 1);
        QCOMPARE(delta(QStringLiteral("by_path"), QStringLiteral("/nope")), 1);
        QCOMPARE(delta(QStringLiteral("by_status"), QStringLiteral("404")), 1);
        QCOMPARE(delta(QStringLiteral("by_fault"), QStringLiteral("ok")), 2);
        // Reading /stats is not counted, so a test can poll it freely.
        QCOMPARE(stats().value(QStringLiteral("requests_total")),
                 after.value(QStringLiteral("requests_total")));
    }

    void qtNetworkClient_reusesItsConnection() {
        const QJsonObject before = stats();
        QNetworkAccessManager nam;
        for (int i = 0; i < 10; ++i) {
            QNetworkRequest request(
                QUrl(m_server.baseUrl() + QStringLiteral("/v1/chat/completions")));
            request.setHeader(QNetworkRequest::ContentTypeHeader,
                              QStringLiteral("application/json"));
            request.setRawHeader("Authorization", "Bearer sk-test");
            QNetworkReply *reply = nam.post(
                request, openAiBody(QStringLiteral("m"), {}, QStringLiteral("qnam %1").arg(i)));
            QEventLoop loop;
            connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
            loop.exec();
            QCOMPARE(reply->error(), QNetworkReply::NoError);
            QCOMPARE(openAiContent(QJsonDocument::fromJson(reply->readAll()).object()),
                     QStringLiteral("Echo: qnam %1").arg(i));
            reply->deleteLater();
        }
        const QJsonObject after = stats();
        // Ten sequential requests from Qt's client ride one keep-alive connection (+1 for stats()).
        QCOMPARE(after.value(QStringLiteral("connections_total")).toInteger() -
                     before.value(QStringLiteral("connections_total")).toInteger(),
                 2);
    }

    void logging_isSilentByDefaultAndNeverShowsHeaders() {
        ServerProcess verbose;
        QVERIFY2(verbose.start({QStringLiteral("--verbose")}), qPrintable(verbose.errorString()));
        RawHttpClient c;
        QVERIFY(c.connectTo(verbose.port()));
        QCOMPARE(
            c.request("POST", kChat, openAiBody(QStringLiteral("m"), {}, QStringLiteral("x")),
                      {{"Authorization", "Bearer sk-secret-123"}, {"x-api-key", "sk-ant-secret"}})
                .status,
            200);
        // Read once the server has exited: then everything it wrote is in the file, with no
        // guess at how long writing takes.
        verbose.stop();
        const QByteArray log = verbose.stderrText();
        QVERIFY2(log.contains("/v1/chat/completions"), log.constData());
        QVERIFY(!log.contains("secret"));

        ServerProcess quiet;
        QVERIFY2(quiet.start(), qPrintable(quiet.errorString()));
        RawHttpClient q;
        QVERIFY(q.connectTo(quiet.port()));
        QCOMPARE(q.request("POST", kChat, openAiBody(QStringLiteral("m"), {}, QStringLiteral("x")),
                           {{"Authorization", "Bearer sk-secret-123"}})
                     .status,
                 200);
        quiet.stop();
        QCOMPARE(quiet.stderrText(), QByteArray());
    }

    void badOptions_exitWithAMessage_data() {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("rate") << QStringList{QStringLiteral("--fault-rate"), QStringLiteral("1.5")};
        QTest::newRow("kind") << QStringList{QStringLiteral("--faults"),
                                             QStringLiteral("429,boom")};
        QTest::newRow("host") << QStringList{QStringLiteral("--host"), QStringLiteral("0.0.0.0")};
        QTest::newRow("script") << QStringList{QStringLiteral("--script"),
                                               QStringLiteral("/nonexistent")};
        QTest::newRow("latency") << QStringList{QStringLiteral("--latency-ms"),
                                                QStringLiteral("-1")};
    }
    void badOptions_exitWithAMessage() {
        QFETCH(QStringList, args);
        QByteArray err;
        QCOMPARE(ServerProcess::run(args, &err), 2);
        QVERIFY(err.startsWith("rs-llm-test-server: "));
    }
};

QTEST_GUILESS_MAIN(TestProtocol)
#include "tst_fakellm_protocol.moc"
