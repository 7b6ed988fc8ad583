// The reward server: the request parser on its own (complete, pipelined, chunked, over-limit and
// malformed requests), the response cut out of a trainer's query, the token check, and the
// whole server in process against the local LLM test server: the same reward as `scores`,
// cached verdicts reused, errors as JSON with the right status, a failed judge call answered
// as an error (never a reward of 0), and every served reward logged.
#include "import/importer.h"
#include "judge/judgerunner.h"
#include "judge/scorereader.h"
#include "llm/llmscheduler.h"
#include "serve/httpserver.h"
#include "serve/promptindex.h"
#include "serve/requestauth.h"
#include "serve/requestparser.h"
#include "serve/responsetext.h"
#include "serve/rewardrouter.h"
#include "serve/rewardservice.h"
#include "serve/servedrewardlog.h"
#include "serve/servemetrics.h"
#include "serverprocess.h"
#include "store/database.h"
#include "servesupport.h"
#include "common/splitmix.h"
#include "rubric/rubricversions.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <nlohmann/json.hpp>

#include <atomic>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace rs;
using nlohmann::json;

namespace {

using test::Reply;
using test::httpRequest;
using test::post;

using test::kBearer;
using test::kToken;

} // namespace

class TestServe : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    std::unique_ptr<store::ProjectStore> makeProject(const QString &name) {
        return test::newServeProject(m_dir, name);
    }

    static judge::JudgeConfig config(const test::ServerProcess &server,
                                     const QString &model = QStringLiteral("test-judge")) {
        judge::JudgeConfig c;
        c.provider.name = QStringLiteral("local");
        c.provider.baseUrl = server.baseUrl() + QStringLiteral("/v1");
        c.provider.model = model;
        c.provider.maxConcurrency = 8;
        c.provider.timeoutMs = 5000;
        c.provider.maxRetries = 0;
        return c;
    }

    static std::unique_ptr<test::ServeStack> startStack(store::ProjectStore &store,
                                                        llm::LlmScheduler &scheduler,
                                                        const judge::JudgeConfig &config,
                                                        int workers = 2) {
        return test::startServeStack(store, scheduler, config, kToken, 1 << 20, workers);
    }

    /// A project served against its own test LLM server: what most tests start from. Members
    /// are destroyed in reverse, the stack before the scheduler before the project.
    struct Served {
        std::unique_ptr<store::ProjectStore> store;
        test::ServerProcess llm;
        std::unique_ptr<llm::LlmScheduler> scheduler;
        std::unique_ptr<test::ServeStack> stack;
    };
    /// Null when the LLM server or the stack does not start (a warning says which).
    std::unique_ptr<Served>
    serveProject(const QString &name, const QStringList &llmArgs = {}, int workers = 2,
                 const std::function<void(judge::JudgeConfig &)> &configure = {}) {
        auto s = std::make_unique<Served>();
        s->store = makeProject(name);
        if (!s->llm.start(llmArgs)) {
            qWarning("the test LLM server did not start");
            return nullptr;
        }
        s->scheduler = std::make_unique<llm::LlmScheduler>(llm::PriceTable(), s->store.get());
        judge::JudgeConfig c = config(s->llm);
        if (configure)
            configure(c);
        s->stack = startStack(*s->store, *s->scheduler, c, workers);
        if (!s->stack) {
            qWarning("the reward server did not start");
            return nullptr;
        }
        return s;
    }

    static qint64 modelRequests(const test::ServerProcess &llm) {
        return llm.stats().value(QStringLiteral("model_requests")).toInteger(-1);
    }

    static std::string rewardBody(int promptId, const std::string &response) {
        return json{{"items", {{{"prompt_id", promptId}, {"response", response}}}}}.dump();
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void parser_completeAndPipelinedRequests() {
        serve::RequestParser p({});
        std::string buf = "POST /get_reward HTTP/1.1\r\nContent-Length: 2\r\nX-A: b\r\n\r\n{}"
                          "GET /health HTTP/1.1\r\n\r\n";
        auto r = p.parse(buf);
        QCOMPARE(r.state, serve::RequestParser::State::Complete);
        QCOMPARE(r.request.method, std::string("POST"));
        QCOMPARE(r.request.body, std::string("{}"));
        QCOMPARE(std::string(r.request.header("x-a")), std::string("b"));
        r = p.parse(buf);
        QCOMPARE(r.state, serve::RequestParser::State::Complete);
        QCOMPARE(std::string(r.request.path()), std::string("/health"));
        QVERIFY(buf.empty());
    }

    void parser_bodyOverTheLimitIsRefusedFromItsLength() {
        serve::RequestParser p({64 * 1024, 1024});
        std::string buf = "POST /x HTTP/1.1\r\nContent-Length: 73400320\r\n\r\n{\"query\": [";
        auto r = p.parse(buf);
        QCOMPARE(r.state, serve::RequestParser::State::Error);
        QCOMPARE(r.status, 413);
    }

    void parser_malformedInputGetsAClearStatus_data() {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<int>("status");
        QTest::newRow("no version") << QByteArray("GET /\r\n\r\n") << 400;
        QTest::newRow("HTTP/2") << QByteArray("GET / HTTP/2.0\r\n\r\n") << 505;
        QTest::newRow("bad length")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n") << 400;
        QTest::newRow("two lengths")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")
            << 400;
        QTest::newRow("gzip coding")
            << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n") << 501;
        QTest::newRow("header without colon")
            << QByteArray("GET / HTTP/1.1\r\nBroken\r\n\r\n") << 400;
        QTest::newRow("huge headers")
            << QByteArray("GET / HTTP/1.1\r\nX: ") + QByteArray(70000, 'a') << 431;
    }
    void parser_malformedInputGetsAClearStatus() {
        QFETCH(QByteArray, raw);
        QFETCH(int, status);
        serve::RequestParser p({});
        std::string buf = raw.toStdString();
        auto r = p.parse(buf);
        QCOMPARE(r.state, serve::RequestParser::State::Error);
        QCOMPARE(r.status, status);
    }

    void parser_chunkedBodyIsAssembled() {
        serve::RequestParser p({});
        std::string buf = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{\"a\r\n";
        QCOMPARE(p.parse(buf).state, serve::RequestParser::State::NeedMore);
        buf += "4\r\n\": 1\r\n1\r\n}\r\n0\r\n\r\n";
        auto r = p.parse(buf);
        QCOMPARE(r.state, serve::RequestParser::State::Complete);
        QCOMPARE(r.request.body, std::string("{\"a\": 1}"));
    }

    void responseText_cutAfterThePromptEvenWhenLeftTruncated() {
        const std::string prompt =
            "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n";
        QCOMPARE(std::string(serve::responseAfterPrompt(prompt + "Four.<|im_end|>", prompt)),
                 std::string("Four.<|im_end|>"));
        // The trainer cut the prompt's first tokens off.
        QCOMPARE(std::string(serve::responseAfterPrompt(prompt.substr(9) + "Four.", prompt)),
                 std::string("Four."));
        QCOMPARE(std::string(serve::stripEndOfTurn("Four.\n<|im_end|>\n<|endoftext|>")),
                 std::string("Four.\n"));
        QCOMPARE(std::string(serve::stripEndOfTurn("Ends with a newline\n")),
                 std::string("Ends with a newline\n"));
        QCOMPARE(std::string(serve::stripEndOfTurn("Llama<|eot_id|>")), std::string("Llama"));
    }

    void auth_bearerOrBasicPasswordIsTheToken() {
        serve::RequestAuth auth(kToken);
        QVERIFY(auth.allows(kBearer));
        QVERIFY(auth.allows("Basic " + QByteArray("rs:serve-test-token").toBase64().toStdString()));
        QVERIFY(!auth.allows("Basic " + QByteArray("rs:wrong").toBase64().toStdString()));
        QVERIFY(!auth.allows("Bearer serve-test-toke"));
        QVERIFY(!auth.allows(""));
        QVERIFY(serve::RequestAuth("").allows(""));
    }

    void server_rewardsEqualScoresAndErrorsAreJson() {
        auto store = makeProject(QStringLiteral("serve.rubrics"));
        test::ServerProcess llm;
        QVERIFY(llm.start());
        llm::LlmScheduler scheduler(llm::PriceTable(), store.get());
        // Judge the project first, as a user would before training.
        judge::JudgeRunner runner(*store, scheduler);
        auto judged = runner.run(config(llm), {});
        QVERIFY(judged.ok());
        auto db = store::Database::open(store->path(), store::Database::Mode::ReadOnly);
        auto scores = judge::computeScores(db.value(), {});
        QVERIFY(scores.ok());
        QCOMPARE(int(scores->size()), 6);

        auto stack = startStack(*store, scheduler, config(llm));
        QVERIFY(stack);
        const qint64 callsBefore =
            llm.stats().value(QStringLiteral("model_requests")).toInteger(-1);

        // Every known response, one OpenRLHF request each: the reward of `scores`, to the bit.
        auto rs = db->prepare(
            "SELECT r.id, p.text, r.text FROM responses r JOIN prompts p ON p.id = r.prompt_id");
        QVERIFY(rs.ok());
        int checked = 0;
        while (rs->step().value()) {
            const qint64 id = rs->columnInt(0);
            const std::string rendered = "<|im_start|>user\n" + rs->columnText(1).toStdString() +
                                         "<|im_end|>\n<|im_start|>assistant\n";
            const json body{{"query", {rendered + rs->columnText(2).toStdString() + "<|im_end|>"}},
                            {"prompts", {rendered}},
                            {"labels", {""}}};
            auto reply = httpRequest(stack->port, post("/get_reward", body.dump(), kBearer));
            QCOMPARE(reply.status, 200);
            double want = -1;
            for (const auto &s : scores.value())
                if (s.responseId == id)
                    want = s.reward;
            QCOMPARE(reply.body["rewards"][0].get<double>(), want); // exact, not fuzzy
            QCOMPARE(reply.body["extra_logs"]["cached"][0].get<int>(), 1);
            ++checked;
        }
        QCOMPARE(checked, 6);
        QCOMPARE(llm.stats().value(QStringLiteral("model_requests")).toInteger(-1), callsBefore);

        // OpenRLHF's other URLs get empty lists.
        auto empty = httpRequest(
            stack->port, post("/get_reward", R"({"query":[],"prompts":[],"labels":[]})", kBearer));
        QCOMPARE(empty.status, 200);
        QVERIFY(empty.body["rewards"].empty());

        // A new response is judged once, by prompt id through the native API.
        auto fresh = httpRequest(
            stack->port,
            post("/v1/rewards", R"({"items":[{"prompt_id":1,"response":"An example for you."}]})",
                 kBearer));
        QCOMPARE(fresh.status, 200);
        QCOMPARE(fresh.body["items"][0]["reward"].get<double>(), 1.0);
        QCOMPARE(fresh.body["items"][0]["cached"].get<bool>(), false);
        QCOMPARE(fresh.body["items"][0]["criteria"].size(), std::size_t(2));

        // Errors: JSON bodies with the right status.
        QCOMPARE(httpRequest(stack->port, post("/get_reward", "{}")).status, 401);
        QCOMPARE(httpRequest(stack->port, post("/get_reward", "{}", "Bearer nope")).status, 401);
        auto bad = httpRequest(stack->port, post("/get_reward", R"({"query": [)", kBearer));
        QCOMPARE(bad.status, 400);
        QVERIFY(bad.body.contains("error"));
        auto unknown = httpRequest(
            stack->port,
            post("/get_reward",
                 R"({"query":["nobody asked this"],"prompts":["nobody asked"],"labels":[null]})",
                 kBearer));
        QCOMPARE(unknown.status, 422);
        QVERIFY(unknown.body["error"].get<std::string>().find("item 0") != std::string::npos);
        auto big = httpRequest(
            stack->port,
            "POST /get_reward HTTP/1.1\r\nContent-Length: 99999999\r\nAuthorization: " + kBearer +
                "\r\n\r\n{");
        QCOMPARE(big.status, 413);
        QCOMPARE(
            httpRequest(stack->port, "GET /health HTTP/1.1\r\nConnection: close\r\n\r\n").status,
            200);

        stack->stop();
        QCOMPARE(test::stats(*store).servedRewards, 7);
        // Stopped with every call answered: the run it served from says so.
        QCOMPARE(db->scalar("SELECT count(*) FROM judge_runs WHERE status = 'complete'").value(),
                 1);
    }

    void server_tenThousandMalformedRequestsLeaveItServing() {
        auto fx = serveProject(QStringLiteral("malformed.rubrics"));
        QVERIFY(fx);
        auto &stack = fx->stack;
        const std::string good =
            R"({"items":[{"prompt_id":1,"response":"For example, 7 is prime."}]})";
        const auto reward = [&] {
            return httpRequest(stack->port, post("/v1/rewards", good, kBearer));
        };
        const auto before = reward();
        QCOMPARE(before.status, 200);

        // Ten kinds of bad request, drawn with a fixed seed so a failure repeats exactly.
        SplitMix64 rng(20261205);
        auto noise = [&](std::size_t n) {
            std::string out(n, '\0');
            for (char &c : out)
                c = char(rng.below(256));
            return out;
        };
        const std::vector<std::string> bodies = {
            R"({"query": [)", R"({"query": 5})", R"({"query":["a","b"],"prompts":["a"]})",
            R"({"items": "x"})", R"({"items":[{"prompt_id":"one","response":3}]})", "[]",
            "null", R"({"items":[{}]})", "\xff\xfe{}", R"({"query":[null],"prompts":[null]})"};
        int complete = 0, answered = 0, serverErrors = 0;
        for (int i = 0; i < 10000; ++i) {
            std::string raw;
            const std::int64_t kind = rng.below(10);
            // Requests cut short end the client's side so the server sees the end of them.
            const bool cutShort = kind == 0 || kind == 1 || kind == 6;
            switch (kind) {
            case 0: raw = noise(std::size_t(1 + rng.below(300))); break;
            case 1: raw = "POST /get_reward HTTP/1.1\r\nContent-Length: "; break;
            case 2: raw = "GARBAGE / HTTP/9.9\r\nConnection: close\r\n\r\n"; break;
            case 3: raw = "POST /get_reward HTTP/1.1\r\nConnection: close\r\nContent-Length: -5\r\n\r\n"; break;
            case 4: raw = "POST /get_reward HTTP/1.1\r\nConnection: close\r\nNo colon here\r\n\r\n"; break;
            case 5: raw = "GET /nowhere HTTP/1.1\r\nConnection: close\r\n\r\n"; break;
            case 6: raw = "POST /v1/rewards HTTP/1.1\r\nContent-Length: 50\r\n\r\n{\"items\""; break;
            default: {
                const std::string &b = bodies[std::size_t(rng.below(std::int64_t(bodies.size())))];
                raw = post(rng.below(2) ? "/get_reward" : "/v1/rewards", b, kBearer);
                break;
            }
            }
            const auto reply = httpRequest(stack->port, raw, cutShort);
            if (!cutShort) {
                ++complete;
                answered += reply.status != 0;
            }
            // A bad request is the client's fault: never a reward, never a 5xx but the one that
            // names the client's fault (505: an HTTP version the server does not speak).
            if ((reply.status >= 500 && reply.status != 505) || reply.status == 200) {
                ++serverErrors;
                if (serverErrors == 1)
                    qWarning("request %d answered %d: %s", i, reply.status, raw.substr(0, 80).c_str());
            }
        }
        QCOMPARE(serverErrors, 0);
        QCOMPARE(answered, complete); // a cut-short request may only be closed
        QVERIFY(complete > 6000);
        const auto after = reward();
        QCOMPARE(after.status, 200);
        QCOMPARE(after.body["items"][0]["reward"].get<double>(),
                 before.body["items"][0]["reward"].get<double>());
        QCOMPARE(httpRequest(stack->port, "GET /health HTTP/1.1\r\nConnection: close\r\n\r\n").status,
                 200);
        stack->stop();
    }

    void server_promptImportedWhileServingIsServed() {
        auto fx = serveProject(QStringLiteral("newprompt.rubrics"));
        QVERIFY(fx);
        auto &store = fx->store;
        auto &stack = fx->stack;
        const QString prompt = QStringLiteral("Name a river that crosses a capital city.");
        const json getReward = {
            {"query", {"<|user|>" + prompt.toStdString() + "<|assistant|>For example, you could name the Thames."}},
            {"prompts", {"<|user|>" + prompt.toStdString() + "<|assistant|>"}},
            {"labels", {""}}};
        const json native = {{"items", {{{"prompt", prompt.toStdString()}, {"response", "An example for you: the Seine."}}}}};
        QCOMPARE(httpRequest(stack->port, post("/get_reward", getReward.dump(), kBearer)).status, 422);
        QCOMPARE(httpRequest(stack->port, post("/v1/rewards", native.dump(), kBearer)).status, 422);

        // The prompt and its rubric imported while the server runs (as the studio would).
        import::ImportConfig c;
        c.files << test::writeFile(m_dir, QStringLiteral("newprompt.more.json"),
                                   QJsonDocument(QJsonArray{QJsonObject{
                                                     {QStringLiteral("instruction"), prompt},
                                                     {QStringLiteral("output"), QStringLiteral("The Thames.")},
                                                     {QStringLiteral("generator"), QStringLiteral("m9")}}})
                                       .toJson());
        QVERIFY(import::importFiles(*store, c).ok());
        import::ImportConfig r;
        r.format = import::Format::Rubrics;
        r.files << test::writeFile(
            m_dir, QStringLiteral("newprompt.more.jsonl"),
            QJsonDocument(QJsonObject{{QStringLiteral("prompt"), prompt},
                                      {QStringLiteral("rubrics"),
                                       QJsonArray{QJsonObject{{QStringLiteral("criterion"),
                                                               QStringLiteral("The response uses the word \"you\".")},
                                                              {QStringLiteral("weight"), 1}}}}})
                .toJson(QJsonDocument::Compact));
        QVERIFY(import::importFiles(*store, r).ok());

        auto served = httpRequest(stack->port, post("/get_reward", getReward.dump(), kBearer));
        QCOMPARE(served.status, 200);
        QCOMPARE(served.body["rewards"][0].get<double>(), 1.0);
        auto nativeServed = httpRequest(stack->port, post("/v1/rewards", native.dump(), kBearer));
        QCOMPARE(nativeServed.status, 200);
        QCOMPARE(nativeServed.body["items"][0]["reward"].get<double>(), 1.0);
        stack->stop();
    }

    void server_newRubricVersionIsUsedWhileServing() {
        auto fx = serveProject(QStringLiteral("reload.rubrics"));
        QVERIFY(fx);
        auto &store = fx->store;
        auto &stack = fx->stack;
        const std::string body =
            R"({"items":[{"prompt_id":1,"response":"For example, 7 is prime."}]})";
        auto first = httpRequest(stack->port, post("/v1/rewards", body, kBearer));
        QCOMPARE(first.status, 200);
        // "example" met (3), "you" not (1): 3/4.
        QCOMPARE(first.body["items"][0]["reward"].get<double>(), 0.75);

        // A new version accepted while the server runs (as the studio or `rubric` would).
        auto v = rubric::saveVersion(
            *store, 1, rubric::VersionOrigin{QStringLiteral("manual"), {}},
            {rubric::CriterionDraft{{}, QStringLiteral("The response mentions \"prime\"."), 2, {}, {}, {}, false},
             rubric::CriterionDraft{{}, QStringLiteral("The response uses the word \"you\"."), 2, {}, {}, {}, false}});
        QVERIFY(v.ok());
        auto second = httpRequest(stack->port, post("/v1/rewards", body, kBearer));
        QCOMPARE(second.status, 200);
        QVERIFY(second.body["items"][0]["rubric_version"] != first.body["items"][0]["rubric_version"]);
        // "prime" met (2), "you" not (2): 1/2, judged anew on the new criterion.
        QCOMPARE(second.body["items"][0]["reward"].get<double>(), 0.5);
        QCOMPARE(second.body["items"][0]["cached"].get<bool>(), false);
        stack->stop();
        // Each served reward records the version it was computed under.
        auto db = store::Database::open(store->path(), store::Database::Mode::ReadOnly);
        QCOMPARE(db->scalar("SELECT count(DISTINCT rubric_version_id) FROM served_rewards").value(), 2);
    }

    void server_failedJudgeCallIsAnErrorNotZero() {
        // Every call fails with a 500 and the judge has no retries left.
        auto fx = serveProject(QStringLiteral("fail.rubrics"),
                               {QStringLiteral("--fault-rate"), QStringLiteral("1"),
                                QStringLiteral("--faults"), QStringLiteral("500")});
        QVERIFY(fx);
        auto &store = fx->store;
        auto &stack = fx->stack;
        auto reply = httpRequest(
            stack->port,
            post("/v1/rewards", R"({"items":[{"prompt_id":1,"response":"Anything."}]})", kBearer));
        QVERIFY2(reply.status >= 500, reply.body.dump().c_str());
        QVERIFY(reply.body["error"].get<std::string>().find("item 0") != std::string::npos);
        QVERIFY(!reply.body.contains("items"));
        const std::string metrics = stack->metrics.render(0, 0);
        QVERIFY(metrics.find("rs_reward_failures_total 1") != std::string::npos);
        auto db = store::Database::open(store->path(), store::Database::Mode::ReadOnly);
        auto status = [&db] {
            auto st = db->prepare("SELECT status FROM judge_runs");
            return st && st->step().value() ? st->columnText(0) : QString();
        };
        QCOMPARE(status(), QStringLiteral("running"));
        stack->stop();
        // A failed call is asked again by the next pass: the run is not complete.
        QCOMPARE(status(), QStringLiteral("incomplete"));
    }
    void server_aResponseIsAnsweredWithoutWaitingForAnotherOnesCall() {
        // The judge holds the first call for a minute. With one worker, a second response sent
        // after it must still get its reward while the first waits: each response is answered
        // when its own calls are stored, never when a batch's slowest call returns.
        const QString script = test::writeFile(m_dir, QStringLiteral("stall.script"), "stall\n");
        auto fx = serveProject(QStringLiteral("stall.rubrics"),
                               {QStringLiteral("--script"), script, QStringLiteral("--stall-ms"),
                                QStringLiteral("60000")},
                               1, [](judge::JudgeConfig &c) {
                                   // the stalled call stays in flight until the judge goes
                                   c.provider.timeoutMs = 120000;
                               });
        QVERIFY(fx);
        auto &llm = fx->llm;
        auto &stack = fx->stack;

        std::atomic<int> firstStatus{0};
        std::thread first([&] {
            firstStatus = httpRequest(stack->port,
                                      post("/v1/rewards",
                                           rewardBody(1, "An example, held by the judge."),
                                           kBearer))
                              .status;
        });
        // The first call has reached the judge (and stalls there) before the second is sent.
        QTRY_COMPARE_WITH_TIMEOUT(modelRequests(llm), qint64(1), 20000);
        auto second = httpRequest(
            stack->port, post("/v1/rewards", rewardBody(1, "An example for you."), kBearer));
        QCOMPARE(second.status, 200);
        QCOMPARE(second.body["items"][0]["reward"].get<double>(), 1.0);
        QCOMPARE(second.body["items"][0]["cached"].get<bool>(), false);
        QCOMPARE(firstStatus.load(), 0); // still waiting for its own call
        QCOMPARE(modelRequests(llm), qint64(2));

        // The judge goes away: the held call fails, and its request is answered with an error,
        // not a reward of 0.
        llm.stop();
        first.join();
        QCOMPARE(firstStatus.load(), 502);
        stack->stop();
    }

    void server_newTextsInOneBatchAreStoredOnceAndJudgedOnce() {
        // One request with a new text twice for one prompt, the same text for another prompt
        // and a second new text: three new rows, three judge calls, and the repeat again is
        // answered from the stored verdicts.
        auto fx = serveProject(QStringLiteral("batch.rubrics"));
        QVERIFY(fx);
        auto &store = fx->store;
        auto &llm = fx->llm;
        auto &stack = fx->stack;
        auto db = store::Database::open(store->path(), store::Database::Mode::ReadOnly);
        const qint64 rowsBefore = db->scalar("SELECT count(*) FROM responses").value();
        const qint64 callsBefore = modelRequests(llm);
        const std::string a = "An example for you.";
        const std::string b = "Nothing to see.";
        const json body{{"items",
                         {{{"prompt_id", 1}, {"response", a}},
                          {{"prompt_id", 1}, {"response", a}},
                          {{"prompt_id", 2}, {"response", a}},
                          {{"prompt_id", 1}, {"response", b}}}}};
        for (const bool again : {false, true}) {
            auto reply = httpRequest(stack->port, post("/v1/rewards", body.dump(), kBearer));
            QCOMPARE(reply.status, 200);
            const auto &items = reply.body["items"];
            QCOMPARE(items.size(), std::size_t(4));
            const double want[] = {1.0, 1.0, 1.0, 0.0}; // "example" (3) and "you" (1), or neither
            for (std::size_t i = 0; i < 4; ++i) {
                QCOMPARE(items[i]["reward"].get<double>(), want[i]);
                if (again)
                    QCOMPARE(items[i]["cached"].get<bool>(), true);
            }
            QCOMPARE(db->scalar("SELECT count(*) FROM responses").value() - rowsBefore, 3);
            QCOMPARE(modelRequests(llm) - callsBefore, qint64(3));
        }

        // A new text for a prompt the project has without a rubric: 422 naming the prompt, not a
        // reward (the text is stored and judged first, and nothing is asked).
        const QString bare = QStringLiteral("Name a colour.");
        import::ImportConfig c;
        c.files << test::writeFile(
            m_dir, QStringLiteral("batch.bare.json"),
            QJsonDocument(
                QJsonArray{QJsonObject{{QStringLiteral("instruction"), bare},
                                       {QStringLiteral("output"), QStringLiteral("Red.")},
                                       {QStringLiteral("generator"), QStringLiteral("m9")}}})
                .toJson());
        QVERIFY(import::importFiles(*store, c).ok());
        const json noRubric{{"items", {{{"prompt", bare.toStdString()}, {"response", a}}}}};
        auto refused = httpRequest(stack->port, post("/v1/rewards", noRubric.dump(), kBearer));
        QCOMPARE(refused.status, 422);
        QVERIFY2(refused.body["error"].get<std::string>().find("has no rubric") !=
                     std::string::npos,
                 refused.body.dump().c_str());
        QCOMPARE(modelRequests(llm) - callsBefore, qint64(3));
        stack->stop();
    }

    void server_concurrentRequestsForOneResponseShareOneJudgeCall() {
        // Eight trainers' workers send the same new response at once, in separate requests:
        // it is judged once, and every one of them gets the same reward.
        auto fx = serveProject(QStringLiteral("coalesce.rubrics"),
                               {QStringLiteral("--latency-ms"), QStringLiteral("50")}, 4);
        QVERIFY(fx);
        auto &store = fx->store;
        auto &llm = fx->llm;
        auto &stack = fx->stack;
        const qint64 before = modelRequests(llm);
        constexpr int kRequests = 8;
        std::vector<test::Reply> replies(kRequests);
        std::vector<std::thread> senders;
        for (int i = 0; i < kRequests; ++i)
            senders.emplace_back([&, i] {
                replies[std::size_t(i)] = httpRequest(
                    stack->port,
                    post("/v1/rewards", rewardBody(2, "Here is an example you can use."), kBearer));
            });
        for (auto &t : senders)
            t.join();
        for (const auto &r : replies) {
            QCOMPARE(r.status, 200);
            QCOMPARE(r.body["items"][0]["reward"].get<double>(), 1.0);
        }
        QCOMPARE(modelRequests(llm) - before, qint64(1));
        stack->stop();
        QCOMPARE(test::stats(*store).servedRewards, kRequests);
    }
};

QTEST_GUILESS_MAIN(TestServe)
#include "tst_serve.moc"
