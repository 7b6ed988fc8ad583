// What reaches each real API, and what is read back: request bodies shaped by a model's
// capabilities (OpenAI chat, the Responses API, Anthropic Messages), answers with refusals,
// cuts, logprobs and prompt-cache usage, the lessons learned from real rejection bodies, the
// cache key of votes, redaction and the shared spending cap. Bodies are literals as the
// providers document them (integrations.md).
#include "common/boundedjson.h"
#include "common/sha256.h"
#include "llm/llmcache.h"
#include "llm/modelcapabilities.h"
#include "llm/secrets.h"
#include "llm/spendingbudget.h"
#include "llm/wireprotocol.h"

#include <QCryptographicHash>
#include <QTest>

#include <nlohmann/json.hpp>

#include <random>
#include <thread>

using namespace rs::llm;
using nlohmann::json;

namespace {

ProviderConfig provider(ProviderKind kind, const char *model) {
    ProviderConfig p;
    p.kind = kind;
    p.baseUrl = QStringLiteral("http://127.0.0.1:9/v1");
    p.model = QString::fromLatin1(model);
    return p;
}

LlmRequest judgeLike() {
    LlmRequest r;
    r.system = QStringLiteral("[role:judge]");
    r.messages = {{QStringLiteral("user"), QStringLiteral("SHARED PART|varying part"), 12}};
    r.temperature = 0.7;
    r.seed = 2;
    r.sample = 2;
    r.format = ResponseFormat::JsonSchema;
    r.jsonSchema = QString::fromStdString(json{
        {"type", "object"},
        {"properties", {{"c1", {{"type", "string"}, {"enum", {"yes", "no"}}}}}},
        {"required", {"c1"}},
        {"additionalProperties", false}}.dump());
    return r;
}

json bodyOf(const ProviderConfig &p, const ModelCapabilities &caps, const LlmRequest &r,
            std::string *url = nullptr) {
    const HttpRequest h = wire::build(p, caps, r, QStringLiteral("sk-test-abcdefgh"));
    if (url)
        *url = h.url;
    return json::parse(h.body);
}

} // namespace

class ProviderWire final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void chat_followsTheModelsCapabilities();
    void responsesApi_bodyAndAnswer();
    void anthropic_structuredOutputThinkingAndCacheMarks();
    void decodes_refusalsCutsLogprobsAndCacheUsage();
    void learnsFromRealRejections_data();
    void learnsFromRealRejections();
    void learnsNothingFromWhatNamesNoParameter();
    void cacheKey_separatesVotesEverywhereAndIgnoresLessons();
    void cacheKey_isTheSha256OfTheCanonicalBody();
    void bodyKeyedAheadIsTheBodyBuiltToSend();
    void redactsEchoedKeysAndKeyShapes();
    void spendingCap_holdsAt64Concurrent();
    void deepNesting_isMalformedNotACrash();
};

// The bodies hold provider error texts verbatim (quotes, backticks): moc does not need them.
#ifndef Q_MOC_RUN

void ProviderWire::chat_followsTheModelsCapabilities() {
    const ProviderConfig p = provider(ProviderKind::OpenAiCompatible, "gpt-4o-mini");
    ModelCapabilities caps = ModelCapabilities::defaultsFor(p.kind);
    LlmRequest r = judgeLike();
    r.logprobs = true;
    r.topLogprobs = 50;
    json b = bodyOf(p, caps, r);
    QCOMPARE(b["max_tokens"].get<int>(), 1024);
    QCOMPARE(b["temperature"].get<double>(), 0.7);
    QCOMPARE(b["seed"].get<int>(), 2);
    QCOMPARE(b["top_logprobs"].get<int>(), 20); // the API's ceiling
    QVERIFY(b["response_format"]["type"] == "json_schema");
    QVERIFY(b["response_format"]["json_schema"]["strict"] == true);
    QVERIFY(b["response_format"]["json_schema"]["schema"].is_object());
    // A reasoning model, as learned: its token parameter, no sampling parameters, no logprobs.
    caps.maxCompletionTokens = true;
    caps.temperature = false;
    caps.logprobs = false;
    r.reasoningEffort = QStringLiteral("low");
    b = bodyOf(p, caps, r);
    QVERIFY(!b.contains("max_tokens"));
    QCOMPARE(b["max_completion_tokens"].get<int>(), 1024);
    QVERIFY(!b.contains("temperature"));
    QVERIFY(!b.contains("logprobs"));
    QVERIFY(b["reasoning_effort"] == "low");
    caps.refusedEfforts << QStringLiteral("low");
    QVERIFY(!bodyOf(p, caps, r).contains("reasoning_effort"));
    caps.jsonSchema = false;
    QVERIFY(bodyOf(p, caps, r)["response_format"]["type"] == "json_object");
}

void ProviderWire::responsesApi_bodyAndAnswer() {
    ProviderConfig p = provider(ProviderKind::OpenAiCompatible, "o3-pro");
    ModelCapabilities caps = ModelCapabilities::defaultsFor(p.kind);
    caps.responsesApi = true;
    std::string url;
    const json b = bodyOf(p, caps, judgeLike(), &url);
    QCOMPARE(QString::fromStdString(url), QStringLiteral("http://127.0.0.1:9/v1/responses"));
    QVERIFY(b["store"] == false);
    QVERIFY(b["instructions"] == "[role:judge]");
    QVERIFY(b["input"][0]["content"] == "SHARED PART|varying part");
    QCOMPARE(b["max_output_tokens"].get<int>(), 1024);
    QVERIFY(b["text"]["format"]["type"] == "json_schema");
    QVERIFY(!b.contains("seed") && !b.contains("messages"));
    p.api = QStringLiteral("chat"); // the user's --api wins over what was learned
    QVERIFY(bodyOf(p, caps, judgeLike(), &url).contains("messages"));

    auto a = wire::decode(
        ProviderKind::OpenAiCompatible,
        R"({"object":"response","status":"completed","output":[{"type":"reasoning","summary":[]},{"type":"message","content":[{"type":"output_text","text":"c1 yes"}]}],"usage":{"input_tokens":2000,"input_tokens_details":{"cached_tokens":1536},"output_tokens":150,"output_tokens_details":{"reasoning_tokens":128}}})");
    QVERIFY(a.ok());
    QCOMPARE(a->text, QStringLiteral("c1 yes"));
    QCOMPARE(a->tokensCachedIn, 1536);
    QCOMPARE(a->tokensReasoning, 128);
    QVERIFY(!a->cut && !a->refused);
    auto cut = wire::decode(
        ProviderKind::OpenAiCompatible,
        R"({"status":"incomplete","incomplete_details":{"reason":"max_output_tokens"},"output":[]})");
    QVERIFY(cut.ok() && cut->cut);
    auto refused = wire::decode(
        ProviderKind::OpenAiCompatible,
        R"({"status":"completed","output":[{"type":"message","content":[{"type":"refusal","refusal":"I can't."}]}]})");
    QVERIFY(refused.ok() && refused->refused);
}

void ProviderWire::anthropic_structuredOutputThinkingAndCacheMarks() {
    const ProviderConfig p = provider(ProviderKind::Anthropic, "claude-sonnet-5");
    ModelCapabilities caps = ModelCapabilities::defaultsFor(p.kind);
    LlmRequest r = judgeLike();
    json b = bodyOf(p, caps, r);
    QVERIFY(b["output_config"]["format"]["type"] == "json_schema");
    QCOMPARE(b["temperature"].get<double>(), 0.7);
    QVERIFY(!b.contains("seed")); // Anthropic has none: votes differ by sampling
    // The shared block is its own content block, marked for the prompt cache.
    const json content = b["messages"][0]["content"];
    QCOMPARE(content.size(), size_t(2));
    QVERIFY(content[0]["text"] == "SHARED PART|");
    QVERIFY(content[0]["cache_control"]["type"] == "ephemeral");
    QVERIFY(!content[1].contains("cache_control"));
    // A forced tool on a model that thinks by default needs thinking off.
    r.schemaVia = SchemaVia::Tool;
    caps.thinkingOffForTools = true;
    b = bodyOf(p, caps, r);
    QVERIFY(b["tool_choice"]["type"] == "tool");
    QVERIFY(b["tools"][0]["input_schema"].is_object());
    QVERIFY(b["thinking"]["type"] == "disabled");
    QVERIFY(!b.contains("output_config"));
    // Models that refuse sampling parameters and budgets: adaptive thinking with an effort.
    r.schemaVia = SchemaVia::Native;
    caps.temperature = false;
    caps.thinkingEnabled = false;
    r.thinkingBudget = 2048;
    r.reasoningEffort = QStringLiteral("high");
    b = bodyOf(p, caps, r);
    QVERIFY(b["thinking"]["type"] == "adaptive");
    QVERIFY(b["output_config"]["effort"] == "high");
    QVERIFY(!b.contains("temperature"));
    // Older models take a budget, which must stay below max_tokens.
    caps = ModelCapabilities::defaultsFor(p.kind);
    r.reasoningEffort.clear();
    b = bodyOf(p, caps, r);
    QVERIFY(b["thinking"]["type"] == "enabled");
    QCOMPARE(b["thinking"]["budget_tokens"].get<int>(), 2048);
    QVERIFY(b["max_tokens"].get<int>() > 2048);
    QVERIFY(!b.contains("temperature")); // only 1 is allowed with thinking on
}

void ProviderWire::decodes_refusalsCutsLogprobsAndCacheUsage() {
    auto refusal = wire::decode(
        ProviderKind::OpenAiCompatible,
        R"({"choices":[{"message":{"role":"assistant","content":null,"refusal":"I can't help."},"finish_reason":"stop"}]})");
    QVERIFY(refusal.ok() && refusal->refused);
    QCOMPARE(refusal->text, QStringLiteral("I can't help."));
    auto filtered = wire::decode(
        ProviderKind::OpenAiCompatible,
        R"({"choices":[{"message":{"content":""},"finish_reason":"content_filter"}]})");
    QVERIFY(filtered.ok() && filtered->refused);
    auto cut = wire::decode(
        ProviderKind::OpenAiCompatible,
        R"({"choices":[{"message":{"content":"c1: y"},"finish_reason":"length"}],"usage":{"prompt_tokens":3000,"completion_tokens":1024,"prompt_tokens_details":{"cached_tokens":2048},"completion_tokens_details":{"reasoning_tokens":900}}})");
    QVERIFY(cut.ok() && cut->cut);
    QCOMPARE(cut->tokensIn, 3000); // OpenAI: cached tokens are part of prompt_tokens
    QCOMPARE(cut->tokensCachedIn, 2048);
    QCOMPARE(cut->tokensReasoning, 900);
    auto lp = wire::decode(
        ProviderKind::OpenAiCompatible,
        R"({"choices":[{"message":{"content":"yes"},"finish_reason":"stop","logprobs":{"content":[{"token":"yes","logprob":-0.1,"top_logprobs":[{"token":"yes","logprob":-0.1},{"token":" No","logprob":-2.4}]}]}}]})");
    QVERIFY(lp.ok());
    QCOMPARE(lp->firstTokenLogprobs.size(), 2);
    QCOMPARE(lp->firstTokenLogprobs[1].token, QStringLiteral(" No"));
    // Anthropic: cache reads and writes are not part of input_tokens.
    auto a = wire::decode(
        ProviderKind::Anthropic,
        R"({"content":[{"type":"tool_use","name":"answer","input":{"c1":"no"}}],"stop_reason":"tool_use","usage":{"input_tokens":50,"cache_read_input_tokens":1000,"cache_creation_input_tokens":200,"output_tokens":9}})");
    QVERIFY(a.ok());
    QCOMPARE(a->text, QStringLiteral("{\"c1\":\"no\"}"));
    QCOMPARE(a->tokensIn, 1250);
    QCOMPARE(a->tokensCachedIn, 1000);
    QCOMPARE(a->tokensCacheWrite, 200);
    QVERIFY(wire::decode(ProviderKind::Anthropic, R"({"content":[],"stop_reason":"refusal"})")
                ->refused);
    QVERIFY(wire::decode(ProviderKind::Anthropic,
                         R"({"content":[{"type":"text","text":"{"}],"stop_reason":"max_tokens"})")
                ->cut);
    QVERIFY(wire::decode(ProviderKind::Anthropic,
                         R"({"content":[],"stop_reason":"model_context_window_exceeded"})")
                ->contextExceeded);
}

void ProviderWire::learnsFromRealRejections_data() {
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("lesson");
    const int oa = int(ProviderKind::OpenAiCompatible), an = int(ProviderKind::Anthropic);
    QTest::newRow("o-series max_tokens")
        << oa << 400
        << QByteArray(
               R"({"error":{"message":"Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.","type":"invalid_request_error","param":"max_tokens","code":"unsupported_parameter"}})")
        << "max_completion_tokens instead of max_tokens";
    QTest::newRow("o-series temperature")
        << oa << 400
        << QByteArray(
               R"({"error":{"message":"Unsupported value: 'temperature' does not support 0 with this model. Only the default (1) value is supported.","param":"temperature"}})")
        << "no temperature";
    QTest::newRow("logprobs 403")
        << oa << 403
        << QByteArray(
               R"({"error":{"message":"You are not allowed to request logprobs from this model","param":"logprobs"}})")
        << "no logprobs";
    QTest::newRow("responses only")
        << oa << 404
        << QByteArray(
               R"({"error":{"message":"This model is only supported in v1/responses and not in v1/chat/completions.","param":"model"}})")
        << "served only by the Responses API";
    QTest::newRow("effort value")
        << oa << 400
        << QByteArray(
               R"({"error":{"message":"Unsupported value: 'reasoning_effort' does not support 'minimal' with this model.","param":"reasoning_effort"}})")
        << "reasoning effort minimal refused";
    QTest::newRow("param only in the text")
        << an << 400
        << QByteArray(
               R"({"type":"error","error":{"type":"invalid_request_error","message":"`temperature` is deprecated for this model."}})")
        << "no temperature";
    QTest::newRow("extra input")
        << oa << 400
        << QByteArray(
               R"({"type":"error","error":{"type":"invalid_request_error","message":"seed: Extra inputs are not permitted"}})")
        << "no seed";
    QTest::newRow("forced tool while thinking")
        << an << 400
        << QByteArray(
               R"({"type":"error","error":{"message":"Thinking may not be enabled when tool_choice forces tool use."}})")
        << "thinks by default: thinking off for forced tools";
    QTest::newRow("budget refused")
        << an << 400
        << QByteArray(
               R"({"type":"error","error":{"message":"thinking type 'enabled' is not supported for this model; use 'adaptive' with output_config.effort"}})")
        << "thinking budgets refused: adaptive thinking";
}

void ProviderWire::learnsFromRealRejections() {
    QFETCH(int, kind);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, lesson);
    ModelCapabilities caps = ModelCapabilities::defaultsFor(ProviderKind(kind));
    QVERIFY(caps.learn(ProviderKind(kind), status, body.toStdString()));
    QVERIFY2(caps.lessons.contains(lesson), qPrintable(caps.lessons.join(QStringLiteral("; "))));
    // The same rejection teaches nothing twice, and the lesson survives storage.
    const ModelCapabilities again = caps;
    if (!lesson.startsWith(QLatin1String("reasoning effort")))
        QVERIFY(!caps.learn(ProviderKind(kind), status, body.toStdString()) ||
                caps.lessons.size() > again.lessons.size());
    QVERIFY(ModelCapabilities::fromJson(ProviderKind(kind), caps.toJson()) == caps);
}

void ProviderWire::learnsNothingFromWhatNamesNoParameter() {
    ModelCapabilities caps;
    QVERIFY(!caps.learn(ProviderKind::OpenAiCompatible, 400,
                        R"({"error":{"message":"invalid request from Bearer sk-x"}})"));
    QVERIFY(
        !caps.learn(ProviderKind::OpenAiCompatible, 500, R"({"error":{"message":"temperature"}})"));
    QVERIFY(caps.lessons.isEmpty());
}

void ProviderWire::cacheKey_separatesVotesEverywhereAndIgnoresLessons() {
    for (const ProviderKind kind : {ProviderKind::OpenAiCompatible, ProviderKind::Anthropic}) {
        const ProviderConfig p = provider(kind, "m");
        LlmRequest a = judgeLike();
        LlmRequest b = a;
        b.sample = 3;
        b.seed = 3;
        QVERIFY(wire::canonicalBody(p, a) != wire::canonicalBody(p, b));
        // Without a seed (Anthropic, Responses) the sample still tells votes apart.
        a.seed.reset();
        b.seed.reset();
        QVERIFY(wire::canonicalBody(p, a) != wire::canonicalBody(p, b));
    }
    // The key is built from the request, not from what the model was found to accept.
    const ProviderConfig p = provider(ProviderKind::OpenAiCompatible, "o3-mini");
    const std::string before = wire::canonicalBody(p, judgeLike());
    ModelCapabilities learned;
    learned.temperature = false;
    QVERIFY(wire::build(p, learned, judgeLike(), {}).body != wire::build(p, judgeLike(), {}).body);
    QCOMPARE(wire::canonicalBody(p, judgeLike()), before);
}

// Keys already stored in projects must stay valid: the digest is checked against the standard
// test vectors and against Qt's implementation (which computed every key before).
void ProviderWire::cacheKey_isTheSha256OfTheCanonicalBody() {
    QCOMPARE(rs::sha256Hex(std::string_view()),
             std::string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    QCOMPARE(rs::sha256Hex(std::string_view("abc")),
             std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    for (const ProviderKind kind : {ProviderKind::OpenAiCompatible, ProviderKind::Anthropic}) {
        const ProviderConfig p = provider(kind, "m");
        const LlmCache::Keyed k = LlmCache::keyed(p, judgeLike());
        const QByteArray qt = QCryptographicHash::hash(
            QByteArrayView(k.canonical.data(), qsizetype(k.canonical.size())),
            QCryptographicHash::Sha256);
        QCOMPARE(k.key, qt.toHex().toStdString());
        QCOMPARE(k.canonical, wire::canonicalBody(p, judgeLike()));
    }
}

// The engine sends the body built with the cache key while nothing was learned about the
// model: it must be byte for byte what build() makes with the kind's defaults, for every API.
void ProviderWire::bodyKeyedAheadIsTheBodyBuiltToSend() {
    ProviderConfig responses = provider(ProviderKind::OpenAiCompatible, "gpt-5-pro");
    responses.api = QStringLiteral("responses");
    for (const ProviderConfig &p : {provider(ProviderKind::OpenAiCompatible, "m"),
                                    provider(ProviderKind::Anthropic, "c"), responses}) {
        LlmRequest plain = judgeLike();
        plain.format = ResponseFormat::Text;
        plain.jsonSchema.clear();
        LlmRequest probability = plain;
        probability.logprobs = true;
        probability.topLogprobs = 20;
        LlmRequest tool = judgeLike();
        tool.schemaVia = SchemaVia::Tool;
        for (const LlmRequest &r : {judgeLike(), plain, probability, tool}) {
            std::string ahead;
            const std::string canonical = wire::canonicalBody(p, r, &ahead);
            const ModelCapabilities defaults = ModelCapabilities::defaultsFor(p.kind);
            const HttpRequest built = wire::build(p, defaults, r, QStringLiteral("sk-test-1"));
            QCOMPARE(ahead, built.body);
            const HttpRequest around =
                wire::build(p, defaults, std::string(ahead), QStringLiteral("sk-test-1"));
            QCOMPARE(around.body, built.body);
            QCOMPARE(around.url, built.url);
            QCOMPARE(around.headers, built.headers);
            QVERIFY(canonical != ahead); // the key's body also names kind, URL and sample
            // The key's text is joined from the body's, not dumped again: it must still be
            // the one canonical text of its fields (sorted keys, no spaces), as stored keys are.
            const json parsed = json::parse(canonical);
            QCOMPARE(parsed.dump(), canonical);
            json sent = parsed;
            for (auto it = parsed.begin(); it != parsed.end(); ++it)
                if (it.key().front() == '_')
                    sent.erase(it.key());
            QCOMPARE(sent.dump(), ahead);
            LlmRequest voted = r;
            voted.sample = 2;
            const json withSample = json::parse(wire::canonicalBody(p, voted));
            QCOMPARE(withSample.dump(), wire::canonicalBody(p, voted));
            QCOMPARE(withSample["_sample"].get<int>(), 2);
        }
    }
}

void ProviderWire::redactsEchoedKeysAndKeyShapes() {
    const QString key = QStringLiteral("sk-check-12345-secret");
    registerSecret(key);
    const QString echoed = QStringLiteral("HTTP 400: invalid request from Bearer %1").arg(key);
    const QString clean = redactSecrets(echoed);
    QVERIFY(!clean.contains(key));
    QVERIFY(clean.startsWith(QStringLiteral("HTTP 400: invalid request from")));
    // Keys never seen in this process, by their shape.
    QVERIFY(!redactSecrets(QStringLiteral("x-api-key: ant-key-zzzzzz"))
                 .contains(QStringLiteral("ant-key-zzzzzz")));
    QVERIFY(!redactSecrets(QStringLiteral("{\"api_key\": \"abcd1234efgh\"}"))
                 .contains(QStringLiteral("abcd1234efgh")));
    QVERIFY(!redactSecrets(QStringLiteral("used sk-proj-AbCdEf0123456789"))
                 .contains(QStringLiteral("AbCdEf0123456789")));
    QCOMPARE(redactSecrets(QStringLiteral("Basic information about the response.")),
             QStringLiteral("Basic information about the response."));
    QVERIFY(!wire::errorMessage(R"({"error":{"message":"bad key sk-check-12345-secret"}})")
                 .contains(key));
}

void ProviderWire::spendingCap_holdsAt64Concurrent() {
    // 64 threads reserve a call's worst case, "spend" a random part of it and settle, as
    // 64 calls in flight do: the spend never passes the cap, and stops within one call's
    // worst case of it.
    const double cap = 1.0, worst = 0.013;
    SpendingBudget budget(cap);
    std::vector<std::thread> threads;
    for (int t = 0; t < 64; ++t)
        threads.emplace_back([&budget, worst, t] {
            std::mt19937 rng(t);
            std::uniform_real_distribution<double> part(0.5, 1.0);
            while (budget.reserve(worst))
                budget.settle(worst, worst * part(rng));
        });
    for (auto &t : threads)
        t.join();
    QVERIFY(budget.reached());
    QVERIFY(budget.spent() <= cap);
    QVERIFY(budget.spent() > cap - worst);
    QVERIFY(!SpendingBudget::forCap(0));
}


void ProviderWire::deepNesting_isMalformedNotACrash()
{
    // A body nesting 30,000 arrays overflowed the stack where it was dumped again (found by
    // fuzz_batchoutput): past kMaxJsonDepth it is simply not valid JSON.
    const auto nested = [](int depth, const std::string &inner) {
        return std::string(size_t(depth), '[') + inner + std::string(size_t(depth), ']');
    };
    QVERIFY(rs::jsonDepthWithin(nested(rs::kMaxJsonDepth, "1")));
    QVERIFY(!rs::jsonDepthWithin(nested(rs::kMaxJsonDepth + 1, "1")));
    // Brackets inside strings, escaped quotes included, are text, not nesting.
    QVERIFY(rs::jsonDepthWithin("[\"" + std::string(1000, '[') + "\\\"[[\"]"));
    QVERIFY(!rs::parseBoundedJson(nested(rs::kMaxJsonDepth, "1")).is_discarded());
    QVERIFY(rs::parseBoundedJson(nested(30000, "1")).is_discarded());

    const std::string deep = R"({"choices":[{"message":{"role":"assistant","content":)" + nested(30000, "")
        + R"(}}]})";
    const auto decoded = wire::decode(ProviderKind::OpenAiCompatible, deep);
    QVERIFY(!decoded.ok());
    QVERIFY2(decoded.error().message.contains(QLatin1String("not valid JSON")), qPrintable(decoded.error().message));
    QVERIFY(!wire::errorMessage(R"({"error":)" + nested(30000, "") + "}").isEmpty());
}

#endif

QTEST_GUILESS_MAIN(ProviderWire)
#include "tst_providerwire.moc"
