// The parameter rules of each --profile, as a client meets them over raw HTTP: what the real
// API refuses is refused with the same status and the parameter named where that API names it,
// and what it accepts is answered in its shape. Expected values follow README.md's rules.
#include "profilehelpers.h"

#include <QTest>

using namespace rs::test;

namespace {

const QByteArray kChat = "/v1/chat/completions";
const QByteArray kResponses = "/v1/responses";
const QByteArray kMessages = "/v1/messages";

QJsonObject chatBody(const QString &model, const QString &user, QJsonObject extra = {}) {
    extra.insert(QStringLiteral("model"), model);
    extra.insert(QStringLiteral("messages"), QJsonArray{message(QStringLiteral("user"), user)});
    return extra;
}

QJsonObject messagesBody(const QString &model, const QString &user, QJsonObject extra = {}) {
    extra.insert(QStringLiteral("model"), model);
    extra.insert(QStringLiteral("messages"), QJsonArray{message(QStringLiteral("user"), user)});
    return extra;
}

QJsonObject usageOfChat(const RawResponse &r) {
    return r.json().value(QStringLiteral("usage")).toObject();
}

QString anthropicError(const RawResponse &r) {
    return r.json()
        .value(QStringLiteral("error"))
        .toObject()
        .value(QStringLiteral("message"))
        .toString();
}

} // namespace

class TestProfiles final : public QObject {
    Q_OBJECT
private:
    ProfileServer m_openai;
    ProfileServer m_anthropic;
    ProfileServer m_vllm;
    ProfileServer m_llamacpp;
    ProfileServer m_lenient;

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_openai.start({QStringLiteral("--profile"), QStringLiteral("openai")}));
        QVERIFY(m_anthropic.start({QStringLiteral("--profile"), QStringLiteral("anthropic")}));
        QVERIFY(m_vllm.start({QStringLiteral("--profile"), QStringLiteral("vllm")}));
        QVERIFY(m_llamacpp.start({QStringLiteral("--profile"), QStringLiteral("llamacpp")}));
        QVERIFY(m_lenient.start({}));
    }

    void badProfile_exitsWithUsageError() {
        QByteArray err;
        QCOMPARE(ServerProcess::run({QStringLiteral("--profile"), QStringLiteral("gemini")}, &err),
                 2);
        QVERIFY(err.contains("--profile"));
    }

    void endpoints_existPerProfile() {
        const QJsonObject anth = messagesBody(QStringLiteral("m"), QStringLiteral("hi"),
                                              {{QStringLiteral("max_tokens"), 10}});
        QCOMPARE(m_openai.post(kMessages, anth).status, 404);
        QCOMPARE(
            m_anthropic.post(kChat, chatBody(QStringLiteral("m"), QStringLiteral("hi"))).status,
            404);
        QCOMPARE(m_vllm
                     .post(kResponses, {{QStringLiteral("model"), QStringLiteral("m")},
                                        {QStringLiteral("input"), QStringLiteral("hi")}})
                     .status,
                 404);
        // lenient keeps today's endpoints: no Responses API.
        QCOMPARE(m_lenient
                     .post(kResponses, {{QStringLiteral("model"), QStringLiteral("m")},
                                        {QStringLiteral("input"), QStringLiteral("hi")}})
                     .status,
                 404);
    }

    void openai_reasoningModel_refusesSamplingParameters_data() {
        QTest::addColumn<QJsonObject>("extra");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("param");
        QTest::newRow("max_tokens") << QJsonObject{{QStringLiteral("max_tokens"), 100}} << 400
                                    << QStringLiteral("max_tokens");
        QTest::newRow("temperature 0") << QJsonObject{{QStringLiteral("temperature"), 0}} << 400
                                       << QStringLiteral("temperature");
        QTest::newRow("top_p") << QJsonObject{{QStringLiteral("top_p"), 0.5}} << 400
                               << QStringLiteral("top_p");
        QTest::newRow("logprobs") << QJsonObject{{QStringLiteral("logprobs"), true}} << 403
                                  << QStringLiteral("logprobs");
        QTest::newRow("effort none")
            << QJsonObject{{QStringLiteral("reasoning_effort"), QStringLiteral("none")}} << 400
            << QStringLiteral("reasoning_effort");
    }
    void openai_reasoningModel_refusesSamplingParameters() {
        QFETCH(QJsonObject, extra);
        QFETCH(int, status);
        QFETCH(QString, param);
        const RawResponse r = m_openai.post(
            kChat, chatBody(QStringLiteral("rs-reasoning-mini"), QStringLiteral("hi"), extra));
        QCOMPARE(r.status, status);
        QCOMPARE(errorOf(r).value(QStringLiteral("param")).toString(), param);
        QVERIFY(errorOf(r).contains(QStringLiteral("code")));
        QCOMPARE(errorOf(r).value(QStringLiteral("type")).toString(),
                 QStringLiteral("invalid_request_error"));
    }

    void openai_reasoningModel_reportsReasoningTokens() {
        // "Echo: hi" is 8 chars = 2 tokens; effort low reasons for 32 tokens, counted inside
        // completion_tokens, and temperature 1 (the default) is accepted.
        const RawResponse r = m_openai.post(
            kChat, chatBody(QStringLiteral("rs-reasoning-mini"), QStringLiteral("hi"),
                            {{QStringLiteral("max_completion_tokens"), 500},
                             {QStringLiteral("temperature"), 1},
                             {QStringLiteral("reasoning_effort"), QStringLiteral("low")}}));
        QCOMPARE(r.status, 200);
        const QJsonObject usage = r.json().value(QStringLiteral("usage")).toObject();
        QCOMPARE(usage.value(QStringLiteral("completion_tokens")).toInt(), 34);
        QCOMPARE(usage.value(QStringLiteral("completion_tokens_details"))
                     .toObject()
                     .value(QStringLiteral("reasoning_tokens"))
                     .toInt(),
                 32);
    }

    void openai_reasoningBudgetSpent_isCutWithEmptyContent() {
        const RawResponse r =
            m_openai.post(kChat, chatBody(QStringLiteral("rs-reasoning-mini"), QStringLiteral("hi"),
                                          {{QStringLiteral("max_completion_tokens"), 40}}));
        QCOMPARE(r.status, 200);
        QCOMPARE(firstChoice(r.json()).value(QStringLiteral("finish_reason")).toString(),
                 QStringLiteral("length"));
        QCOMPARE(firstChoice(r.json())
                     .value(QStringLiteral("message"))
                     .toObject()
                     .value(QStringLiteral("content"))
                     .toString(),
                 QString());
    }

    void openai_hybridModel_samplesOnlyAtEffortNone() {
        const QString model = QStringLiteral("rs-hybrid-5");
        const RawResponse none = m_openai.post(
            kChat, chatBody(model, QStringLiteral("hi"),
                            {{QStringLiteral("temperature"), 0}, {QStringLiteral("logprobs"), true}}));
        QCOMPARE(none.status, 200);
        QCOMPARE(usageOfChat(none).value(QStringLiteral("completion_tokens_details")).toObject()
                     .value(QStringLiteral("reasoning_tokens")).toInt(),
                 0);
        const RawResponse low = m_openai.post(
            kChat, chatBody(model, QStringLiteral("hi"),
                            {{QStringLiteral("temperature"), 0},
                             {QStringLiteral("reasoning_effort"), QStringLiteral("low")}}));
        QCOMPARE(low.status, 400);
        QCOMPARE(errorOf(low).value(QStringLiteral("param")).toString(), QStringLiteral("temperature"));
        const RawResponse minimal = m_openai.post(
            kChat, chatBody(model, QStringLiteral("hi"),
                            {{QStringLiteral("reasoning_effort"), QStringLiteral("minimal")}}));
        QCOMPARE(minimal.status, 400);
        QCOMPARE(errorOf(minimal).value(QStringLiteral("param")).toString(),
                 QStringLiteral("reasoning_effort"));
        const RawResponse high = m_openai.post(
            kChat, chatBody(model, QStringLiteral("hi"),
                            {{QStringLiteral("reasoning_effort"), QStringLiteral("high")}}));
        QCOMPARE(high.status, 200);
        QCOMPARE(usageOfChat(high).value(QStringLiteral("completion_tokens_details")).toObject()
                     .value(QStringLiteral("reasoning_tokens")).toInt(),
                 128);
    }

    void openai_responsesOnlyModel_on_chat_is404() {
        const RawResponse r = m_openai.post(
            kChat, chatBody(QStringLiteral("rs-responses-only-pro"), QStringLiteral("hi")));
        QCOMPARE(r.status, 404);
        QCOMPARE(errorOf(r).value(QStringLiteral("message")).toString(),
                 QStringLiteral("This model is only supported in v1/responses and not in "
                                "v1/chat/completions."));
    }

    void openai_temperatureRange() {
        QCOMPARE(m_openai
                     .post(kChat, chatBody(QStringLiteral("gpt"), QStringLiteral("hi"),
                                           {{QStringLiteral("temperature"), 2}}))
                     .status,
                 200);
        const RawResponse r =
            m_openai.post(kChat, chatBody(QStringLiteral("gpt"), QStringLiteral("hi"),
                                          {{QStringLiteral("temperature"), 2.5}}));
        QCOMPARE(r.status, 400);
        QCOMPARE(errorOf(r).value(QStringLiteral("param")).toString(),
                 QStringLiteral("temperature"));
        const RawResponse top = m_openai.post(
            kChat,
            chatBody(QStringLiteral("gpt"), QStringLiteral("hi"),
                     {{QStringLiteral("logprobs"), true}, {QStringLiteral("top_logprobs"), 21}}));
        QCOMPARE(top.status, 400);
        QCOMPARE(errorOf(top).value(QStringLiteral("param")).toString(),
                 QStringLiteral("top_logprobs"));
    }

    void openai_strictSchema_needsClosedObjects() {
        QJsonObject open = verdictSchema({QStringLiteral("c1")},
                                         {{QStringLiteral("type"), QStringLiteral("boolean")}});
        open.remove(QStringLiteral("additionalProperties"));
        const RawResponse r = m_openai.post(
            kChat, chatBody(QStringLiteral("gpt"), QStringLiteral("hi"),
                            {{QStringLiteral("response_format"), responseFormat(open)}}));
        QCOMPARE(r.status, 400);
        QCOMPARE(errorOf(r).value(QStringLiteral("param")).toString(),
                 QStringLiteral("response_format"));
        // The flat form is OpenAI's error, llama-server's silent no-op.
        const QJsonObject flat{{QStringLiteral("type"), QStringLiteral("json_schema")},
                               {QStringLiteral("schema"), open}};
        QCOMPARE(m_openai
                     .post(kChat, chatBody(QStringLiteral("gpt"), QStringLiteral("hi"),
                                           {{QStringLiteral("response_format"), flat}}))
                     .status,
                 400);
        const RawResponse local =
            m_llamacpp.post(kChat, chatBody(QStringLiteral("tiny"), QStringLiteral("hi"),
                                            {{QStringLiteral("response_format"), flat}}));
        QCOMPARE(local.status, 200);
        QCOMPARE(firstChoice(local.json())
                     .value(QStringLiteral("message"))
                     .toObject()
                     .value(QStringLiteral("content"))
                     .toString(),
                 QStringLiteral("Echo: hi"));
    }

    void responses_answersInItsShape() {
        const QJsonObject format{
            {QStringLiteral("type"), QStringLiteral("json_schema")},
            {QStringLiteral("name"), QStringLiteral("verdicts")},
            {QStringLiteral("strict"), true},
            {QStringLiteral("schema"),
             verdictSchema({QStringLiteral("c1")},
                           {{QStringLiteral("type"), QStringLiteral("string")},
                            {QStringLiteral("enum"),
                             QJsonArray{QStringLiteral("yes"), QStringLiteral("no")}}})}};
        const QString user =
            judgeQuestion(QStringLiteral("Bananas are yellow."),
                          {QStringLiteral("c1: The response mentions \"banana\".")});
        const RawResponse r = m_openai.post(
            kResponses,
            {{QStringLiteral("model"), QStringLiteral("rs-responses-only-pro")},
             {QStringLiteral("instructions"), QStringLiteral("[role:judge]")},
             {QStringLiteral("input"), QJsonArray{message(QStringLiteral("user"), user)}},
             {QStringLiteral("max_output_tokens"), 1000},
             {QStringLiteral("reasoning"),
              QJsonObject{{QStringLiteral("effort"), QStringLiteral("high")}}},
             {QStringLiteral("text"), QJsonObject{{QStringLiteral("format"), format}}},
             {QStringLiteral("store"), false}});
        QCOMPARE(r.status, 200);
        const QJsonObject body = r.json();
        QCOMPARE(body.value(QStringLiteral("object")).toString(), QStringLiteral("response"));
        QCOMPARE(body.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        const QJsonArray output = body.value(QStringLiteral("output")).toArray();
        QCOMPARE(output.size(), 2); // a reasoning item, then the message
        const QJsonObject part =
            output.at(1).toObject().value(QStringLiteral("content")).toArray().at(0).toObject();
        QCOMPARE(part.value(QStringLiteral("type")).toString(), QStringLiteral("output_text"));
        QCOMPARE(part.value(QStringLiteral("text")).toString(), QStringLiteral("{\"c1\":\"yes\"}"));
        const QJsonObject usage = body.value(QStringLiteral("usage")).toObject();
        QCOMPARE(usage.value(QStringLiteral("output_tokens_details"))
                     .toObject()
                     .value(QStringLiteral("reasoning_tokens"))
                     .toInt(),
                 128);
        QVERIFY(usage.value(QStringLiteral("input_tokens_details"))
                    .toObject()
                    .contains(QStringLiteral("cached_tokens")));
    }

    void responses_refusesChatParameters_data() {
        QTest::addColumn<QJsonObject>("extra");
        QTest::addColumn<QString>("param");
        QTest::newRow("seed") << QJsonObject{{QStringLiteral("seed"), 1}} << QStringLiteral("seed");
        QTest::newRow("max_tokens")
            << QJsonObject{{QStringLiteral("max_tokens"), 100}} << QStringLiteral("max_tokens");
        QTest::newRow("response_format")
            << QJsonObject{{QStringLiteral("response_format"),
                            QJsonObject{{QStringLiteral("type"), QStringLiteral("text")}}}}
            << QStringLiteral("response_format");
        QTest::newRow("temperature on reasoning")
            << QJsonObject{{QStringLiteral("temperature"), 0.2}} << QStringLiteral("temperature");
        QTest::newRow("tiny max_output_tokens")
            << QJsonObject{{QStringLiteral("max_output_tokens"), 8}}
            << QStringLiteral("max_output_tokens");
    }
    void responses_refusesChatParameters() {
        QFETCH(QJsonObject, extra);
        QFETCH(QString, param);
        extra.insert(QStringLiteral("model"), QStringLiteral("rs-responses-only-pro"));
        extra.insert(QStringLiteral("input"), QStringLiteral("hi"));
        const RawResponse r = m_openai.post(kResponses, extra);
        QCOMPARE(r.status, 400);
        QCOMPARE(errorOf(r).value(QStringLiteral("param")).toString(), param);
    }

    void responses_cutIsIncomplete() {
        const RawResponse r = m_openai.post(
            kResponses, {{QStringLiteral("model"), QStringLiteral("gpt")},
                         {QStringLiteral("input"),
                          QStringLiteral("a long question that echoes back at length")},
                         {QStringLiteral("max_output_tokens"), 16}});
        QCOMPARE(r.status, 200);
        // "Echo: " + 42 chars = 48 chars = 12 tokens: it fits. A longer one does not.
        QCOMPARE(r.json().value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        const RawResponse cut =
            m_openai.post(kResponses, {{QStringLiteral("model"), QStringLiteral("gpt")},
                                       {QStringLiteral("input"), QString(100, QLatin1Char('x'))},
                                       {QStringLiteral("max_output_tokens"), 16}});
        const QJsonObject body = cut.json();
        QCOMPARE(body.value(QStringLiteral("status")).toString(), QStringLiteral("incomplete"));
        QCOMPARE(body.value(QStringLiteral("incomplete_details"))
                     .toObject()
                     .value(QStringLiteral("reason"))
                     .toString(),
                 QStringLiteral("max_output_tokens"));
        const QString text = body.value(QStringLiteral("output"))
                                 .toArray()
                                 .at(0)
                                 .toObject()
                                 .value(QStringLiteral("content"))
                                 .toArray()
                                 .at(0)
                                 .toObject()
                                 .value(QStringLiteral("text"))
                                 .toString();
        QCOMPARE(text, QStringLiteral("Echo: ") + QString(58, QLatin1Char('x'))); // 16 × 4 chars
        QCOMPARE(body.value(QStringLiteral("usage"))
                     .toObject()
                     .value(QStringLiteral("output_tokens"))
                     .toInt(),
                 16);
    }

    void anthropic_rules_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QJsonObject>("extra");
        QTest::addColumn<QString>("message");
        QTest::newRow("no max_tokens") << QStringLiteral("claude") << QJsonObject{}
                                       << QStringLiteral("max_tokens: Field required");
        const QJsonObject base{{QStringLiteral("max_tokens"), 2000}};
        auto with = [&](const char *key, const QJsonValue &v) {
            QJsonObject o = base;
            o.insert(QLatin1StringView(key), v);
            return o;
        };
        QTest::newRow("seed") << QStringLiteral("claude") << with("seed", 1)
                              << QStringLiteral("seed: Extra inputs are not permitted");
        QTest::newRow("logprobs") << QStringLiteral("claude") << with("logprobs", true)
                                  << QStringLiteral("logprobs: Extra inputs are not permitted");
        QTest::newRow("response_format")
            << QStringLiteral("claude") << with("response_format", QJsonObject{})
            << QStringLiteral("response_format: Extra inputs are not permitted");
        QTest::newRow("temperature 1.3")
            << QStringLiteral("claude") << with("temperature", 1.3)
            << QStringLiteral("temperature: Input should be less than or equal to 1");
        QTest::newRow("new temperature")
            << QStringLiteral("rs-claude-new-opus") << with("temperature", 0.5)
            << QStringLiteral("`temperature` is deprecated for this model.");
        QTest::newRow("new top_k") << QStringLiteral("rs-claude-new-opus") << with("top_k", 5)
                                   << QStringLiteral("`top_k` is deprecated for this model.");
        const QJsonObject enabled{{QStringLiteral("type"), QStringLiteral("enabled")},
                                  {QStringLiteral("budget_tokens"), 1024}};
        QTest::newRow("new thinking enabled")
            << QStringLiteral("rs-claude-new-opus") << with("thinking", enabled)
            << QStringLiteral("thinking.type: 'enabled' is not supported for this model. Use "
                              "'adaptive' instead.");
        QTest::newRow("small budget")
            << QStringLiteral("claude")
            << with("thinking", QJsonObject{{QStringLiteral("type"), QStringLiteral("enabled")},
                                            {QStringLiteral("budget_tokens"), 500}})
            << QStringLiteral(
                   "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024");
        QJsonObject tight = with("thinking", enabled);
        tight.insert(QStringLiteral("max_tokens"), 1024);
        QTest::newRow("budget not below max_tokens")
            << QStringLiteral("claude") << tight
            << QStringLiteral("`max_tokens` must be greater than `thinking.budget_tokens`.");
        const QJsonArray tools{
            QJsonObject{{QStringLiteral("name"), QStringLiteral("grade")},
                        {QStringLiteral("input_schema"),
                         QJsonObject{{QStringLiteral("type"), QStringLiteral("object")}}}}};
        const QJsonObject forced{{QStringLiteral("type"), QStringLiteral("tool")},
                                 {QStringLiteral("name"), QStringLiteral("grade")}};
        QJsonObject toolThinking = with("thinking", enabled);
        toolThinking.insert(QStringLiteral("tools"), tools);
        toolThinking.insert(QStringLiteral("tool_choice"), forced);
        QTest::newRow("forced tool with thinking")
            << QStringLiteral("claude") << toolThinking
            << QStringLiteral("Thinking may not be enabled when tool_choice forces tool use.");
        QJsonObject toolAdaptive = with("tools", tools);
        toolAdaptive.insert(QStringLiteral("tool_choice"), forced);
        QTest::newRow("forced tool, new model thinks by default")
            << QStringLiteral("rs-claude-new-opus") << toolAdaptive
            << QStringLiteral("Thinking may not be enabled when tool_choice forces tool use.");
    }
    void anthropic_rules() {
        QFETCH(QString, model);
        QFETCH(QJsonObject, extra);
        QFETCH(QString, message);
        const RawResponse r =
            m_anthropic.post(kMessages, messagesBody(model, QStringLiteral("hi"), extra));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json().value(QStringLiteral("type")).toString(), QStringLiteral("error"));
        QCOMPARE(anthropicError(r), message);
    }

    void anthropic_needsTheVersionHeader() {
        const QJsonObject body = messagesBody(QStringLiteral("claude"), QStringLiteral("hi"),
                                              {{QStringLiteral("max_tokens"), 10}});
        const RawResponse r = m_anthropic.client.request(
            "POST", kMessages, QJsonDocument(body).toJson(QJsonDocument::Compact));
        QCOMPARE(r.status, 400);
        QCOMPARE(anthropicError(r), QStringLiteral("anthropic-version: header is required"));
    }

    void anthropic_thinking_isReportedAndSpendsTheBudget() {
        const RawResponse r = m_anthropic.post(
            kMessages,
            messagesBody(QStringLiteral("claude"), QStringLiteral("hi"),
                         {{QStringLiteral("max_tokens"), 2000},
                          {QStringLiteral("thinking"),
                           QJsonObject{{QStringLiteral("type"), QStringLiteral("enabled")},
                                       {QStringLiteral("budget_tokens"), 1024}}}}));
        QCOMPARE(r.status, 200);
        const QJsonArray content = r.json().value(QStringLiteral("content")).toArray();
        QCOMPARE(content.size(), 2);
        QCOMPARE(content.at(0).toObject().value(QStringLiteral("type")).toString(),
                 QStringLiteral("thinking"));
        QCOMPARE(content.at(1).toObject().value(QStringLiteral("text")).toString(),
                 QStringLiteral("Echo: hi"));
        // 64 thinking tokens + 2 answer tokens.
        QCOMPARE(r.json()
                     .value(QStringLiteral("usage"))
                     .toObject()
                     .value(QStringLiteral("output_tokens"))
                     .toInt(),
                 66);
    }

    void anthropic_modelInfo_hasCapabilities() {
        const RawResponse r = m_anthropic.client.request("GET", "/v1/models/rs-claude-new-opus");
        QCOMPARE(r.status, 200);
        const QJsonObject caps = r.json().value(QStringLiteral("capabilities")).toObject();
        const QJsonObject types = caps.value(QStringLiteral("thinking"))
                                      .toObject()
                                      .value(QStringLiteral("types"))
                                      .toObject();
        QCOMPARE(types.value(QStringLiteral("enabled"))
                     .toObject()
                     .value(QStringLiteral("supported"))
                     .toBool(),
                 false);
        QCOMPARE(types.value(QStringLiteral("adaptive"))
                     .toObject()
                     .value(QStringLiteral("supported"))
                     .toBool(),
                 true);
        const RawResponse old = m_anthropic.client.request("GET", "/v1/models/claude-3");
        QCOMPARE(old.json()
                     .value(QStringLiteral("capabilities"))
                     .toObject()
                     .value(QStringLiteral("thinking"))
                     .toObject()
                     .value(QStringLiteral("types"))
                     .toObject()
                     .value(QStringLiteral("enabled"))
                     .toObject()
                     .value(QStringLiteral("supported"))
                     .toBool(),
                 true);
        QCOMPARE(m_lenient.client.request("GET", "/v1/models/anything").status, 404);
    }

    void vllm_ignoresGuidedJson_andLimitsContext() {
        const RawResponse r = m_vllm.post(
            kChat, chatBody(QStringLiteral("served"), QStringLiteral("hi"),
                            {{QStringLiteral("guided_json"),
                              QJsonObject{{QStringLiteral("type"), QStringLiteral("object")}}}}));
        QCOMPARE(r.status, 200);
        QCOMPARE(firstChoice(r.json())
                     .value(QStringLiteral("message"))
                     .toObject()
                     .value(QStringLiteral("content"))
                     .toString(),
                 QStringLiteral("Echo: hi"));
        // 32,000 chars = 8,000 prompt tokens: with 500 more asked vLLM refuses, llama-server
        // counts only the prompt.
        const QString big(32000, QLatin1Char('y'));
        const RawResponse over = m_vllm.post(
            kChat, chatBody(QStringLiteral("served"), big, {{QStringLiteral("max_tokens"), 500}}));
        QCOMPARE(over.status, 400);
        QVERIFY2(errorOf(over).value(QStringLiteral("message")).toString().contains(QStringLiteral("maximum context length is 8192 tokens")),
                 over.body.constData());
        QCOMPARE(m_vllm.post(kChat, chatBody(QStringLiteral("served"), big, {{QStringLiteral("max_tokens"), 100}})).status, 200);
        QCOMPARE(m_llamacpp.post(kChat, chatBody(QStringLiteral("served"), big, {{QStringLiteral("max_tokens"), 500}})).status, 200);
        const RawResponse local = m_llamacpp.post(
            kChat, chatBody(QStringLiteral("served"), QString(33000, QLatin1Char('y'))));
        QCOMPARE(local.status, 400);
        QCOMPARE(errorOf(local).value(QStringLiteral("message")).toString(),
                 QStringLiteral("request (8250 tokens) exceeds the available context size (8192 tokens), try increasing it"));
        QCOMPARE(errorOf(local).value(QStringLiteral("type")).toString(), QStringLiteral("exceed_context_size_error"));
    }

    void lenient_ignoresSamplingAndSendsNoDetails() {
        const QString user =
            judgeQuestion(QStringLiteral("one two three"),
                          {QStringLiteral("c1: anything"), QStringLiteral("c2: at least 9 words")});
        QSet<QByteArray> contents;
        for (int seed = 0; seed < 5; ++seed) {
            const RawResponse r =
                m_lenient.post(kChat, judgeChat(QStringLiteral("m"), user,
                                                {{QStringLiteral("temperature"), 2},
                                                 {QStringLiteral("seed"), seed},
                                                 {QStringLiteral("max_tokens"), 1}}));
            QCOMPARE(r.status, 200);
            QVERIFY(!r.json()
                         .value(QStringLiteral("usage"))
                         .toObject()
                         .contains(QStringLiteral("prompt_tokens_details")));
            QCOMPARE(firstChoice(r.json()).value(QStringLiteral("finish_reason")).toString(),
                     QStringLiteral("stop"));
            contents.insert(firstChoice(r.json())
                                .value(QStringLiteral("message"))
                                .toObject()
                                .value(QStringLiteral("content"))
                                .toString()
                                .toUtf8());
        }
        // 3 words: odd, so c1 is no; fewer than 9: c2 is no.
        QCOMPARE(contents, QSet<QByteArray>{"{\"c1\":\"no\",\"c2\":\"no\"}"});
    }
};

QTEST_GUILESS_MAIN(TestProfiles)
#include "tst_fakellm_profiles.moc"
