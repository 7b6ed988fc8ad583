// Wire formats, JSON extraction from chatty answers, backoff and budgets: the pure parts of
// the LLM engine.
#include "llm/jsonextract.h"
#include "llm/keyresolver.h"
#include "llm/pricetable.h"
#include "llm/providerregistry.h"
#include "llm/retrypolicy.h"
#include "llm/tokenbucket.h"
#include "llm/wireprotocol.h"

#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace rs::llm;
using nlohmann::json;

class LlmParsing final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void extractsJsonFromChatter_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("shape");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("bare") << QByteArray("{\"c1\": \"yes\"}") << int(JsonShape::Object)
                              << QByteArray("{\"c1\":\"yes\"}");
        QTest::newRow("fenced with chatter")
            << QByteArray("Sure! Here it is:\n```json\n{\"c1\": \"no\", \"c2\": \"yes\"}\n```\nAnything else?")
            << int(JsonShape::Object) << QByteArray("{\"c1\":\"no\",\"c2\":\"yes\"}");
        QTest::newRow("plain fence") << QByteArray("```\n[{\"criterion\": \"x\", \"weight\": 2}]\n```")
                                     << int(JsonShape::Array)
                                     << QByteArray("[{\"criterion\":\"x\",\"weight\":2}]");
        QTest::newRow("inline chatter") << QByteArray("The verdicts are {\"c1\": \"yes\"} as requested.")
                                        << int(JsonShape::Object) << QByteArray("{\"c1\":\"yes\"}");
        QTest::newRow("braces in strings") << QByteArray("note {not json} then {\"a\": \"}{\"}")
                                           << int(JsonShape::Object) << QByteArray("{\"a\":\"}{\"}");
        QTest::newRow("array wanted, object first")
            << QByteArray("{\"meta\": 1} and [1, 2]") << int(JsonShape::Array) << QByteArray("[1,2]");
    }

    void extractsJsonFromChatter()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, shape);
        QFETCH(QByteArray, expected);
        auto j = extractJson(std::string_view(text.constData(), size_t(text.size())), JsonShape(shape));
        QVERIFY2(j.ok(), qPrintable(j.ok() ? QString() : j.error().message));
        QCOMPARE(QByteArray::fromStdString(j.value().dump()), expected);
    }

    void reportsWhenNothingParses()
    {
        auto j = extractJson("I cannot grade this. {\"c1\": ", JsonShape::Object);
        QVERIFY(!j.ok());
        QCOMPARE(j.error().message, QStringLiteral("the answer contains no JSON object that parses"));
        auto arr = json::parse(R"([{"criterion": "ok", "weight": 1}, {"weight": 2}])");
        auto v = requireArrayOfObjects(arr, "criterion", "weight");
        QVERIFY(!v.ok());
        QCOMPARE(v.error().message, QStringLiteral("element 1 has no text field \"criterion\""));
    }

    void closesAnswersCutByTheTokenLimit_data()
    {
        QTest::addColumn<QString>("cut");
        QTest::addColumn<QString>("closed");
        QTest::newRow("inside a string") << QStringLiteral("{\"better\":\"B\",\"reason\":\"B names the ci") << QStringLiteral("{\"better\":\"B\",\"reason\":\"B names the ci\"}");
        QTest::newRow("dangling escape") << QStringLiteral("{\"better\":\"A\",\"reason\":\"a \\") << QStringLiteral("{\"better\":\"A\",\"reason\":\"a \"}");
        QTest::newRow("after a comma") << QStringLiteral("{\"better\":\"A\",") << QStringLiteral("{\"better\":\"A\"}");
        QTest::newRow("after a key") << QStringLiteral("{\"better\":\"A\", \"reason\": ") << QStringLiteral("{\"better\":\"A\"}");
        QTest::newRow("nested") << QStringLiteral("{\"criteria\":[{\"criterion\":\"Cites [1] and {2}") << QStringLiteral("{\"criteria\":[{\"criterion\":\"Cites [1] and {2}\"}]}");
        QTest::newRow("whole") << QStringLiteral("{\"better\":\"A\"}") << QStringLiteral("{\"better\":\"A\"}");
        QTest::newRow("no value") << QStringLiteral("I think B.") << QStringLiteral("I think B.");
    }
    void closesAnswersCutByTheTokenLimit()
    {
        QFETCH(QString, cut);
        QFETCH(QString, closed);
        const std::string out = closeCutJson(cut.toStdString());
        QCOMPARE(QString::fromStdString(out), closed);
        if (closed.startsWith(QLatin1Char('{')))
            QVERIFY(extractJson(out, JsonShape::Object).ok());
    }

    void buildsOpenAiRequests()
    {
        ProviderConfig p;
        p.baseUrl = QStringLiteral("http://127.0.0.1:9/v1/");
        p.model = QStringLiteral("judge-small");
        LlmRequest r;
        r.system = QStringLiteral("[role:judge]");
        r.messages = {{QStringLiteral("user"), QStringLiteral("grade")}};
        r.seed = 7;
        r.format = ResponseFormat::JsonObject;
        const HttpRequest h = wire::build(p, r, QStringLiteral("sk-test-123456"));
        QCOMPARE(QString::fromStdString(h.url), QStringLiteral("http://127.0.0.1:9/v1/chat/completions"));
        const json body = json::parse(h.body);
        QCOMPARE(body["messages"][0]["role"].get<std::string>(), std::string("system"));
        QCOMPARE(body["seed"].get<int>(), 7);
        QCOMPARE(body["response_format"]["type"].get<std::string>(), std::string("json_object"));
        QVERIFY(std::find(h.headers.begin(), h.headers.end(), "Authorization: Bearer sk-test-123456")
                != h.headers.end());
        // The cache key source never contains the key.
        QVERIFY(wire::canonicalBody(p, r).find("sk-test") == std::string::npos);
    }

    void buildsAnthropicRequests()
    {
        ProviderConfig p;
        p.kind = ProviderKind::Anthropic;
        p.baseUrl = QStringLiteral("https://api.anthropic.com/v1");
        p.model = QStringLiteral("claude");
        LlmRequest r;
        r.system = QStringLiteral("sys");
        r.messages = {{QStringLiteral("user"), QStringLiteral("hi")}};
        const HttpRequest h = wire::build(p, r, QStringLiteral("ak"));
        QCOMPARE(QString::fromStdString(h.url), QStringLiteral("https://api.anthropic.com/v1/messages"));
        const json body = json::parse(h.body);
        QCOMPARE(body["system"].get<std::string>(), std::string("sys"));
        QCOMPARE(body["messages"].size(), size_t(1));
        QVERIFY(std::find(h.headers.begin(), h.headers.end(), "x-api-key: ak") != h.headers.end());
    }

    void decodesAnswersAndUsage()
    {
        auto a = wire::decode(ProviderKind::OpenAiCompatible,
                              R"({"choices":[{"message":{"role":"assistant","content":"hi"}}],"usage":{"prompt_tokens":12,"completion_tokens":3}})");
        QVERIFY(a.ok());
        QCOMPARE(a->text, QStringLiteral("hi"));
        QCOMPARE(a->tokensIn, 12);
        QCOMPARE(a->tokensOut, 3);
        auto b = wire::decode(ProviderKind::Anthropic,
                              R"({"content":[{"type":"text","text":"a"},{"type":"text","text":"b"}],"usage":{"input_tokens":5,"output_tokens":2}})");
        QVERIFY(b.ok());
        QCOMPARE(b->text, QStringLiteral("ab"));
        QCOMPARE(b->tokensOut, 2);
        QVERIFY(!wire::decode(ProviderKind::OpenAiCompatible, R"({"choices": [)").ok());
        QVERIFY(!wire::decode(ProviderKind::OpenAiCompatible, R"({"id": "x"})").ok());
        QCOMPARE(wire::errorMessage(R"({"error":{"message":"rate limited"}})"), QStringLiteral("rate limited"));
    }

    void redactsKeys()
    {
        const QString log = QStringLiteral("POST /v1\r\nAuthorization: Bearer sk-live-abcdef\r\nx-api-key: sk-ant-zzz\r\nbody sk-live-abcdef");
        const QString r = wire::redact(log, QStringLiteral("sk-live-abcdef"));
        QVERIFY(!r.contains(QLatin1String("sk-live-abcdef")));
        QVERIFY(!r.contains(QLatin1String("sk-ant-zzz")));
        QVERIFY(r.contains(QLatin1String("Authorization: [redacted]")));
    }

    void backoffGrowsWithJitterAndHonoursRetryAfter()
    {
        RetryPolicy p(std::chrono::milliseconds(100), std::chrono::milliseconds(1000));
        for (int i = 0; i < 50; ++i) {
            const auto d0 = p.delay(0).count();
            QVERIFY(d0 >= 50 && d0 <= 100);
            const auto d3 = p.delay(3).count();
            QVERIFY(d3 >= 400 && d3 <= 800);
            QVERIFY(p.delay(10).count() <= 1000);
        }
        QCOMPARE(RetryPolicy::parseRetryAfter(" 2\r\n")->count(), 2000);
        QCOMPARE(RetryPolicy::parseRetryAfter("0.5")->count(), 500);
        QVERIFY(!RetryPolicy::parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT"));
        QVERIFY(RetryPolicy::retryableStatus(429) && RetryPolicy::retryableStatus(503));
        QVERIFY(!RetryPolicy::retryableStatus(401) && !RetryPolicy::retryableStatus(400));
    }

    void tokenBucketRefillsSteadily()
    {
        using namespace std::chrono;
        TokenBucket b(60); // one per second
        const auto t0 = steady_clock::now();
        for (int i = 0; i < 60; ++i)
            QVERIFY(b.tryTake(1, t0));
        QVERIFY(!b.tryTake(1, t0));
        QCOMPARE(duration_cast<milliseconds>(b.waitFor(1, t0)).count(), 1000);
        QVERIFY(b.tryTake(1, t0 + milliseconds(1001)));
        QVERIFY(TokenBucket(0).tryTake(1e9, t0));
    }

    void builtInPricesLoadAndRegistryRoundTripsWithoutKeys()
    {
        QStandardPaths::setTestModeEnabled(true);
        auto prices = ProviderRegistry::loadPrices();
        QVERIFY2(prices.ok(), qPrintable(prices.ok() ? QString() : prices.error().toString()));
        QVERIFY(prices->has(QStringLiteral("gpt-4.1-mini")));

        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("providers.json"));
        ProviderRegistry reg;
        ProviderConfig p;
        p.name = QStringLiteral("openai");
        p.baseUrl = QStringLiteral("https://api.openai.com/v1");
        p.model = QStringLiteral("gpt-4.1-mini");
        p.keySource = KeySource::Environment;
        p.keyEnv = QStringLiteral("RS_TEST_FAKE_KEY");
        p.maxConcurrency = 32;
        reg.upsert(p);
        qputenv("RS_TEST_FAKE_KEY", "sk-fake-should-never-be-written");
        QVERIFY(reg.save(path).ok());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(!f.readAll().contains("sk-fake"));
        auto back = ProviderRegistry::load(path);
        QVERIFY(back.ok());
        QCOMPARE(back->find(QStringLiteral("openai"))->maxConcurrency, 32);
        QCOMPARE(KeyResolver().key(*back->find(QStringLiteral("openai"))).value(),
                 QStringLiteral("sk-fake-should-never-be-written"));
        qunsetenv("RS_TEST_FAKE_KEY");
        auto missing = KeyResolver().key(p);
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().message.contains(QLatin1String("RS_TEST_FAKE_KEY is not set")));
    }

    void pricesComputeCost()
    {
        auto t = PriceTable::fromJson(R"({"models": {"m": {"input": 2.0, "output": 8.0}}})");
        QVERIFY(t.ok());
        QCOMPARE(t->cost(QStringLiteral("m"), 1000000, 500000), 6.0);
        QCOMPARE(t->cost(QStringLiteral("unknown"), 1000, 1000), 0.0);
        QVERIFY(!PriceTable::fromJson("{oops").ok());
    }
};

QTEST_GUILESS_MAIN(LlmParsing)
#include "tst_llmparsing.moc"
