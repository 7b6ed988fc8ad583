// What serve tells about a training run besides the rewards: the training step each reward is
// logged under (the request's own, else one inferred from the pauses while the trainer trains)
// and the status line it prints while requests come in. The clock's rules are tested on given
// times; the server's use of it never waits for a gap to pass.
#include "serve/servemetrics.h"
#include "serve/stepclock.h"
#include "serverprocess.h"
#include "servesupport.h"
#include "store/database.h"
#include "testsupport.h"

#include <QTest>

#include <nlohmann/json.hpp>

#include <chrono>

using namespace rs;
using nlohmann::json;

namespace {

using test::httpRequest;
using test::kBearer;
using test::kToken;
using test::post;

} // namespace

class TestServeSteps : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void metrics_statusLineTellsWhatHappenedBetweenTwoSnapshots() {
        serve::ServeMetrics m;
        m.countItems(4);
        m.observeLatency(0.003);
        const serve::MetricsSnapshot before = m.snapshot();
        m.countItems(10);
        m.countJudgeCalls(8, 2);
        m.countFailures(1);
        for (int i = 0; i < 98; ++i)
            m.observeLatency(0.004);
        m.observeLatency(0.2);
        m.observeLatency(0.2);
        const serve::MetricsSnapshot after = m.snapshot();
        // Bucket upper bounds: 98 of 100 within 5 ms, the 99th within 250 ms.
        QCOMPARE(serve::latencyQuantile(before, after, 0.5), std::optional<double>(0.005));
        QCOMPARE(serve::latencyQuantile(before, after, 0.98), std::optional<double>(0.005));
        QCOMPARE(serve::latencyQuantile(before, after, 0.99), std::optional<double>(0.25));
        QVERIFY(!serve::latencyQuantile(after, after, 0.5));
        const std::string line = serve::statusLine(before, after, 2.0, 3, std::nullopt);
        for (const char *part :
             {"serve: 10 items in 2.0 s (5.0/s; 14 since the start)",
              "judge calls 8 sent, 2 from the cache", "1 failed (1 since the start)",
              "p50 ≤ 5 ms, p99 ≤ 250 ms", "queue 3"})
            QVERIFY2(line.find(part) != std::string::npos, line.c_str());
        QVERIFY2(line.find("unknown") == std::string::npos, line.c_str());
        // Nothing answered in between: no latency to tell; slower than the last bucket: said so.
        QVERIFY(serve::statusLine(after, after, 30, 0, std::nullopt).find("p50 -, p99 -") !=
                std::string::npos);
        m.observeLatency(31);
        m.countUnknownPrompts(2);
        const std::string slow = serve::statusLine(after, m.snapshot(), 30, 0, 12);
        QVERIFY2(slow.find("p99 > 30 s") != std::string::npos, slow.c_str());
        QVERIFY2(slow.find("2 unknown prompts (2 since the start)") != std::string::npos,
                 slow.c_str());
        QVERIFY2(slow.find(" failed (1 since the start)") != std::string::npos, slow.c_str());
        QVERIFY2(slow.find(" · step 12") != std::string::npos, slow.c_str());
        QVERIFY2(line.find("step") == std::string::npos, line.c_str());
    }

    void stepClock_inferredStepsFollowTheTrainersRhythm() {
        using namespace std::chrono_literals;
        const serve::StepClock::Clock::time_point t0{};
        serve::StepClock clock(10s, 5);
        QVERIFY(clock.inferring());
        QVERIFY(!clock.latest());
        // A step's requests sent together: one step, however they overlap.
        QCOMPARE(clock.arrive(t0, std::nullopt), std::optional<qint64>(5));
        QCOMPARE(clock.arrive(t0 + 1ms, std::nullopt), std::optional<qint64>(5));
        clock.leave(t0 + 200ms);
        QCOMPARE(clock.arrive(t0 + 20s, std::nullopt), std::optional<qint64>(5)); // one in flight
        clock.leave(t0 + 21s);
        clock.leave(t0 + 22s);
        // One after another, as a reward manager calls: never idle for the gap.
        for (int i = 0; i < 5; ++i) {
            const auto at = t0 + 22s + std::chrono::seconds(9 * i);
            QCOMPARE(clock.arrive(at + 1ms, std::nullopt), std::optional<qint64>(5));
            clock.leave(at + 9s);
        }
        // The trainer trains: 30 s without a request starts the next step.
        QCOMPARE(clock.arrive(t0 + 97s, std::nullopt), std::optional<qint64>(6));
        clock.leave(t0 + 98s);
        // Idle just under the gap: the same step; idle the gap exactly: the next.
        QCOMPARE(clock.arrive(t0 + 98s + 9999ms, std::nullopt), std::optional<qint64>(6));
        clock.leave(t0 + 110s);
        QCOMPARE(clock.arrive(t0 + 120s, std::nullopt), std::optional<qint64>(7));
        clock.leave(t0 + 121s);
        QCOMPARE(clock.latest(), std::optional<qint64>(7));
        // A request that names its step is logged under it; from then on nothing is inferred.
        QCOMPARE(clock.arrive(t0 + 200s, 42), std::optional<qint64>(42));
        clock.leave(t0 + 201s);
        QVERIFY(!clock.inferring());
        QCOMPARE(clock.arrive(t0 + 300s, std::nullopt), std::nullopt);
        clock.leave(t0 + 301s);
        QCOMPARE(clock.latest(), std::optional<qint64>(42));
        // Off: only named steps.
        serve::StepClock off(0s, 1);
        QVERIFY(!off.inferring());
        QCOMPARE(off.arrive(t0, std::nullopt), std::nullopt);
        off.leave(t0 + 1s);
        QCOMPARE(off.arrive(t0 + 100s, 3), std::optional<qint64>(3));
    }

    void server_stepsAreInferredForRequestsThatNameNone() {
        // A minute's gap never passes here: every request without a step is in step 1 until
        // one names its own, after which the trainer's numbers are the steps.
        auto store = test::newServeProject(m_dir, QStringLiteral("steps.rubrics"));
        test::ServerProcess llm;
        QVERIFY(llm.start({}));
        llm::LlmScheduler scheduler(llm::PriceTable(), store.get());
        judge::JudgeConfig config;
        config.provider.name = QStringLiteral("local");
        config.provider.baseUrl = llm.baseUrl() + QStringLiteral("/v1");
        config.provider.model = QStringLiteral("test-judge");
        config.provider.maxRetries = 0;
        auto stack = test::startServeStack(*store, scheduler, config, kToken, 1 << 20, 2,
                                           std::chrono::minutes(1));
        QVERIFY(stack);
        const auto send = [&](const std::string &response, const char *stepHeader) {
            std::string request =
                post("/v1/rewards",
                     json{{"items", {{{"prompt_id", 1}, {"response", response}}}}}.dump(), kBearer);
            if (stepHeader) // as a header, before the blank line that ends the head
                request.insert(request.find("\r\n\r\n"),
                               std::string("\r\nX-Training-Step: ") + stepHeader);
            return httpRequest(stack->port, request).status;
        };
        QCOMPARE(send("For example, 7 is prime, you see.", nullptr), 200);
        QCOMPARE(send("Seven, for example.", nullptr), 200);
        QCOMPARE(send("You might say 13.", "9"), 200);
        QCOMPARE(send("Eleven, you know.", nullptr), 200);
        stack->stop();
        QCOMPARE(test::servedSteps(store->path()), (QList<qint64>{1, 1, 9, -1}));
    }
};

QTEST_GUILESS_MAIN(TestServeSteps)
#include "tst_servesteps.moc"
