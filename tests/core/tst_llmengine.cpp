// The engine against the local LLM test server: every fault kind is survived, Retry-After is
// honoured, cancellation is prompt, the cache saves calls, cost adds up, keys leave no trace.
#include "llm/costpreview.h"
#include "llm/jsonextract.h"
#include "llm/llmengine.h"
#include "llm/llmscheduler.h"
#include "llm/providerregistry.h"
#include "serverprocess.h"
#include "testsupport.h"

#include <QDirIterator>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QStandardPaths>

#include <nlohmann/json.hpp>

#include <mutex>
#include <stop_token>
#include <thread>

using namespace rs;
using namespace rs::llm;

namespace {

// Log lines produced while a test runs, to prove no key reaches them.
QStringList g_log;
std::mutex g_logMutex;
void captureLog(QtMsgType, const QMessageLogContext &, const QString &msg)
{
    std::lock_guard lock(g_logMutex);
    g_log << msg;
}

LlmRequest chat(std::uint64_t tag, const QString &text)
{
    LlmRequest r;
    r.tag = tag;
    r.messages = {{QStringLiteral("user"), text}};
    r.maxTokens = 64;
    return r;
}

PriceTable prices()
{
    PriceTable t;
    t.set(QStringLiteral("test-judge"), {1000.0, 2000.0}); // absurd prices make caps reachable
    return t;
}

} // namespace

class LlmEngineTest final : public QObject {
    Q_OBJECT

private:
    ProviderConfig provider(const test::ServerProcess &s, ProviderKind kind = ProviderKind::OpenAiCompatible)
    {
        ProviderConfig p;
        p.name = QStringLiteral("local");
        p.kind = kind;
        p.baseUrl = s.baseUrl() + QStringLiteral("/v1");
        p.model = QStringLiteral("test-judge");
        p.maxConcurrency = 1; // scripted faults apply in arrival order
        p.timeoutMs = 2000;
        p.maxRetries = 4;
        return p;
    }

    static qint64 serverRequests(const test::ServerProcess &s)
    {
        return s.stats().value(QStringLiteral("model_requests")).toInteger(-1);
    }

    static QString writeScript(const QTemporaryDir &dir, const QStringList &lines)
    {
        return test::writeFile(dir, QStringLiteral("script.txt"), lines.join(QLatin1Char('\n')).toUtf8() + "\n");
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void answersBothProtocolsWithUsageAndCost()
    {
        test::ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        LlmScheduler scheduler(prices(), nullptr);
        for (auto kind : {ProviderKind::OpenAiCompatible, ProviderKind::Anthropic}) {
            std::vector<LlmResult> results;
            const JobSummary s = scheduler.runBlocking(provider(server, kind),
                                                       {chat(1, QStringLiteral("hello there"))}, {}, &results);
            QCOMPARE(s.succeeded, 1);
            QCOMPARE(results.size(), size_t(1));
            QVERIFY(results[0].ok);
            QVERIFY(!results[0].text.isEmpty());
            QVERIFY(results[0].tokensIn > 0 && results[0].tokensOut > 0);
            const double expected = (results[0].tokensIn * 1000.0 + results[0].tokensOut * 2000.0) / 1e6;
            QCOMPARE(results[0].costUsd, expected);
            QCOMPARE(s.costUsd, expected);
        }
    }

    void everyFaultKindIsRetriedToSuccess_data()
    {
        QTest::addColumn<QString>("fault");
        for (const char *f : {"429", "500", "503", "stall", "reset", "malformed", "truncated"})
            QTest::newRow(f) << QString::fromLatin1(f);
    }

    void everyFaultKindIsRetriedToSuccess()
    {
        QFETCH(QString, fault);
        QTemporaryDir dir;
        test::ServerProcess server;
        QVERIFY(server.start({QStringLiteral("--script"), writeScript(dir, {fault, fault, QStringLiteral("ok")}),
                              QStringLiteral("--retry-after"), QStringLiteral("0"),
                              QStringLiteral("--stall-ms"), QStringLiteral("5000")}));
        ProviderConfig p = provider(server);
        p.timeoutMs = 500; // a stall becomes a timeout quickly
        LlmScheduler scheduler(prices(), nullptr);
        std::vector<LlmResult> results;
        const JobSummary s = scheduler.runBlocking(p, {chat(7, QStringLiteral("x"))}, {}, &results);
        QCOMPARE(s.succeeded, 1);
        QCOMPARE(results.at(0).tag, std::uint64_t(7));
        QVERIFY(results.at(0).ok);
        QCOMPARE(results.at(0).attempts, 3);
    }

    void fencedAnswerIsDeliveredRawForTheParser()
    {
        QTemporaryDir dir;
        test::ServerProcess server;
        QVERIFY(server.start({QStringLiteral("--script"), writeScript(dir, {QStringLiteral("fenced")})}));
        LlmScheduler scheduler(prices(), nullptr);
        LlmRequest r = chat(1, QStringLiteral("<<<RESPONSE\nfour words are here\nRESPONSE>>>\n<<<CRITERIA\nc1: The response mentions \"words\".\nc2: The response mentions \"zebra\".\nCRITERIA>>>"));
        r.system = QStringLiteral("[role:judge]");
        std::vector<LlmResult> results;
        scheduler.runBlocking(provider(server), {r}, {}, &results);
        QVERIFY(results.at(0).ok);
        QVERIFY(results.at(0).text.contains(QLatin1String("```")));
        const std::string raw = results.at(0).text.toStdString();
        auto j = extractJson(raw, JsonShape::Object);
        QVERIFY(j.ok());
        QCOMPARE(j.value()["c1"].get<std::string>(), std::string("yes"));
        QCOMPARE(j.value()["c2"].get<std::string>(), std::string("no"));
    }

    void persistentFailureIsReportedAfterTheLastRetry()
    {
        QTemporaryDir dir;
        test::ServerProcess server;
        QVERIFY(server.start({QStringLiteral("--script"),
                              writeScript(dir, {QStringLiteral("500"), QStringLiteral("500"), QStringLiteral("500")})}));
        ProviderConfig p = provider(server);
        p.maxRetries = 2;
        LlmScheduler scheduler(prices(), nullptr);
        std::vector<LlmResult> results;
        const JobSummary s = scheduler.runBlocking(p, {chat(1, QStringLiteral("a"))}, {}, &results);
        QCOMPARE(s.failed, 1);
        QCOMPARE(results.at(0).httpStatus, 500);
        QCOMPARE(results.at(0).attempts, 3);
        QVERIFY2(results.at(0).errorText.startsWith(QLatin1String("HTTP 500")), qPrintable(results.at(0).errorText));
        QVERIFY(results.at(0).errorText.contains(QLatin1String("after 3 attempts")));
    }

    void oneBadAnswerDoesNotSinkTheJob()
    {
        QTemporaryDir dir;
        test::ServerProcess server;
        QVERIFY(server.start({QStringLiteral("--script"),
                              writeScript(dir, {QStringLiteral("ok"), QStringLiteral("503"), QStringLiteral("ok"), QStringLiteral("ok")})}));
        ProviderConfig p = provider(server);
        p.maxRetries = 0; // the 503 is final for the request that gets it
        LlmScheduler scheduler(prices(), nullptr);
        std::vector<LlmResult> results;
        std::vector<LlmRequest> reqs;
        for (int i = 0; i < 4; ++i)
            reqs.push_back(chat(std::uint64_t(i), QStringLiteral("q%1").arg(i)));
        const JobSummary s = scheduler.runBlocking(p, reqs, {}, &results);
        QCOMPARE(s.failed, 1);
        QCOMPARE(s.succeeded, 3);
        QCOMPARE(results.size(), size_t(4));
        auto failed = std::find_if(results.begin(), results.end(), [](const LlmResult &r) { return !r.ok; });
        QCOMPARE(failed->tag, std::uint64_t(1));
        QCOMPARE(failed->httpStatus, 503);
    }

    void nonRetryableStatusFailsAtOnce()
    {
        // Wrong endpoint: 404 is not worth retrying.
        test::ServerProcess server;
        QVERIFY(server.start());
        ProviderConfig p = provider(server);
        p.baseUrl = server.baseUrl() + QStringLiteral("/nope");
        LlmScheduler scheduler(prices(), nullptr);
        std::vector<LlmResult> results;
        scheduler.runBlocking(p, {chat(1, QStringLiteral("a"))}, {}, &results);
        QVERIFY(!results.at(0).ok);
        QCOMPARE(results.at(0).attempts, 1);
    }

    void retryAfterIsHonoured()
    {
        QTemporaryDir dir;
        test::ServerProcess server;
        QVERIFY(server.start({QStringLiteral("--script"), writeScript(dir, {QStringLiteral("429"), QStringLiteral("ok")}),
                              QStringLiteral("--retry-after"), QStringLiteral("2")}));
        LlmScheduler scheduler(prices(), nullptr);
        std::vector<LlmResult> results;
        scheduler.runBlocking(provider(server), {chat(1, QStringLiteral("a"))}, {}, &results);
        // Counted, not timed: the 429 carrying Retry-After was followed by exactly one retry,
        // which was answered. (How long the client waited is not visible without a clock;
        // RetryPolicy::parseRetryAfter is covered in tst_llmparsing.)
        QVERIFY(results.at(0).ok);
        QCOMPARE(results.at(0).attempts, 2);
        const QJsonObject stats = server.stats();
        QCOMPARE(stats.value(QStringLiteral("model_requests")).toInteger(), 2);
        const QJsonObject faults = stats.value(QStringLiteral("by_fault")).toObject();
        QCOMPARE(faults.value(QStringLiteral("429")).toInteger(), 1);
        QCOMPARE(faults.value(QStringLiteral("ok")).toInteger(), 1);
    }

    void cancellationStopsPromptlyAndWritesNothing()
    {
        QTemporaryDir dir;
        auto store = test::newProject(dir);
        test::ServerProcess server;
        // Answers that cannot come back during the test: the job can only finish by cancelling.
        QVERIFY(server.start({QStringLiteral("--latency-ms"), QStringLiteral("600000")}));
        ProviderConfig p = provider(server);
        p.maxConcurrency = 8;
        p.timeoutMs = 60000;
        LlmEngine engine(prices(), store.get());
        QSignalSpy finished(&engine, &LlmEngine::jobFinished);
        std::vector<LlmRequest> reqs;
        for (int i = 0; i < 20; ++i)
            reqs.push_back(chat(std::uint64_t(i), QStringLiteral("slow %1").arg(i)));
        const auto job = engine.submit(p, std::move(reqs), {});
        // The first eight are out, and held.
        QTRY_COMPARE_WITH_TIMEOUT(serverRequests(server), 8, 30000);
        engine.cancel(job);
        // Prompt: the job ends with the eight still unanswered, and the twelve others never go out.
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        const auto summary = finished.at(0).at(1).value<JobSummary>();
        QCOMPARE(summary.cancelled, 20);
        QCOMPARE(summary.succeeded, 0);
        QCOMPARE(serverRequests(server), 8);
        auto db = store::Database::open(store->path(), store::Database::Mode::ReadOnly);
        QCOMPARE(db->scalar("SELECT count(*) FROM llm_cache").value(), 0);
        QCOMPARE(db->scalar("SELECT count(*) FROM ledger").value(), 0);
    }

    void runBlocking_endsWhenStopped() {
        test::ServerProcess server;
        QVERIFY(server.start({QStringLiteral("--latency-ms"), QStringLiteral("600000")}));
        ProviderConfig p = provider(server);
        p.maxConcurrency = 4;
        p.timeoutMs = 60000;
        LlmScheduler scheduler(prices(), nullptr);
        std::vector<LlmRequest> reqs;
        for (int i = 0; i < 6; ++i)
            reqs.push_back(chat(std::uint64_t(i), QStringLiteral("slow %1").arg(i)));

        // Stopped while four are out and held: it returns, every request cancelled.
        std::stop_source stop;
        JobSummary summary;
        std::vector<LlmResult> results;
        std::thread caller(
            [&] { summary = scheduler.runBlocking(p, reqs, {}, &results, stop.get_token()); });
        QTRY_COMPARE_WITH_TIMEOUT(serverRequests(server), 4, 30000);
        stop.request_stop();
        caller.join();
        QCOMPARE(summary.cancelled, 6);
        QCOMPARE(summary.succeeded, 0);
        QVERIFY(results.empty());
        QCOMPARE(serverRequests(server), 4);

        // Stopped before it is called: it returns at once all the same. (Whether a request
        // goes out first depends on when the scheduler's thread wakes: not asserted.)
        const JobSummary before = scheduler.runBlocking(p, reqs, {}, nullptr, stop.get_token());
        QCOMPARE(before.cancelled, 6);
    }

    void pauseHoldsBackUnsentRequestsAndResumeFinishes()
    {
        test::ServerProcess server;
        QVERIFY(server.start({QStringLiteral("--latency-ms"), QStringLiteral("100")}));
        ProviderConfig p = provider(server);
        p.maxConcurrency = 2;
        LlmEngine engine(prices(), nullptr);
        QSignalSpy results(&engine, &LlmEngine::resultReady);
        QSignalSpy finished(&engine, &LlmEngine::jobFinished);
        std::vector<LlmRequest> reqs;
        for (int i = 0; i < 20; ++i)
            reqs.push_back(chat(std::uint64_t(i), QStringLiteral("p%1").arg(i)));
        const auto job = engine.submit(p, std::move(reqs), {});
        engine.pause(job);
        // While it is paused, another job on the same provider runs to completion (no sleep:
        // the window is that job's ten answers). Unpaused, the first job would have had its
        // share of the two slots all along; paused, at most what was in flight came back.
        std::vector<LlmRequest> others;
        for (int i = 0; i < 10; ++i)
            others.push_back(chat(std::uint64_t(100 + i), QStringLiteral("q%1").arg(i)));
        const auto other = engine.submit(p, std::move(others), {});
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
        QCOMPARE(finished.at(0).at(0).value<quint64>(), other);
        const auto answersTo = [&](std::uint64_t id) {
            return std::count_if(results.cbegin(), results.cend(), [id](const QList<QVariant> &r) {
                return r.at(0).value<quint64>() == id;
            });
        };
        QCOMPARE(answersTo(other), 10);
        QVERIFY2(answersTo(job) <= 4, qPrintable(QString::number(answersTo(job))));
        engine.resume(job);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 20000);
        QCOMPARE(answersTo(job), 20);
        QCOMPARE(finished.at(1).at(1).value<JobSummary>().succeeded, 20);
    }

    void cacheHitsMakeNoCallAndLedgerAddsUp()
    {
        QTemporaryDir dir;
        auto store = test::newProject(dir);
        test::ServerProcess server;
        QVERIFY(server.start());
        ProviderConfig p = provider(server);
        p.maxConcurrency = 4;
        std::vector<LlmRequest> reqs;
        for (int i = 0; i < 10; ++i)
            reqs.push_back(chat(std::uint64_t(i), QStringLiteral("question %1").arg(i)));

        LlmScheduler scheduler(prices(), store.get());
        const JobSummary first = scheduler.runBlocking(p, reqs, {}, nullptr);
        QCOMPARE(first.succeeded, 10);
        QCOMPARE(first.cached, 0);
        const qint64 callsAfterFirst = serverRequests(server);

        std::vector<LlmResult> again;
        const JobSummary second = scheduler.runBlocking(p, reqs, {}, &again);
        QCOMPARE(second.cached, 10);
        QCOMPARE(second.costUsd, 0.0);
        QCOMPARE(serverRequests(server), callsAfterFirst); // not one network call
        QVERIFY(std::all_of(again.begin(), again.end(), [](const LlmResult &r) { return r.cached && r.ok; }));

        JobOptions bypass;
        bypass.bypassCache = true;
        const JobSummary third = scheduler.runBlocking(p, reqs, bypass, nullptr);
        QCOMPARE(third.cached, 0);
        QCOMPARE(serverRequests(server), callsAfterFirst + 10);

        // A new template version is a different request: no stale answers.
        reqs[0].templateVersion = QStringLiteral("v2");
        const JobSummary fourth = scheduler.runBlocking(p, {reqs[0]}, {}, nullptr);
        QCOMPARE(fourth.cached, 0);

        // The preview knows what the cache holds: nine of ten answers are free now.
        auto preview = previewCost(p, reqs, prices(), store.get(), false);
        QVERIFY(preview.ok());
        QCOMPARE(preview->calls, 10);
        QCOMPARE(preview->cached, 10); // reqs[0] with v2 was just answered and cached too
        QCOMPARE(preview->toSend, 0);
        QCOMPARE(preview->costUsd, 0.0);
        reqs[1].templateVersion = QStringLiteral("v3");
        preview = previewCost(p, reqs, prices(), store.get(), false);
        QCOMPARE(preview->toSend, 1);
        QVERIFY(preview->tokensIn > 0 && preview->costUsd > 0 && preview->priced);
        QCOMPARE(previewCost(p, reqs, prices(), store.get(), true)->toSend, 10);

        auto db = store::Database::open(store->path(), store::Database::Mode::ReadOnly);
        QCOMPARE(db->scalar("SELECT count(*) FROM ledger").value(), 31);
        QCOMPARE(db->scalar("SELECT count(*) FROM ledger WHERE cached").value(), 10);
        auto st = db->prepare("SELECT total(cost_usd) FROM ledger");
        QVERIFY(st->step().value());
        QVERIFY(qAbs(st->columnDouble(0) - (first.costUsd + third.costUsd + fourth.costUsd)) < 1e-9);
    }

    void spendingCapStopsSending()
    {
        test::ServerProcess server;
        QVERIFY(server.start());
        ProviderConfig p = provider(server);
        std::vector<LlmRequest> reqs;
        for (int i = 0; i < 5; ++i) {
            reqs.push_back(chat(std::uint64_t(i), QStringLiteral("q%1").arg(i)));
            reqs.back().maxTokens = 16; // a worst case of about $0.04 at these prices
        }
        {
            // A cap below one call's worst case (its whole token budget): nothing is sent.
            LlmScheduler scheduler(prices(), nullptr);
            JobOptions o;
            o.spendingCapUsd = 0.0005;
            const JobSummary s = scheduler.runBlocking(p, reqs, o, nullptr);
            QVERIFY(s.capReached);
            QCOMPARE(s.succeeded, 0);
            QCOMPARE(s.notSent, 5);
            QCOMPARE(serverRequests(server), 0); // the held-back requests never reached the server
        }
        // One budget shared by two jobs (a run's chunks): the spend never passes the cap, and
        // what was not sent is counted, never sent behind the cap's back.
        LlmScheduler scheduler(prices(), nullptr);
        JobOptions o;
        o.spendingCapUsd = 0.15;
        ensureBudget(o);
        const JobSummary a = scheduler.runBlocking(p, reqs, o, nullptr);
        const JobSummary b = scheduler.runBlocking(p, reqs, o, nullptr);
        QVERIFY(o.budget->spent() <= 0.15);
        QVERIFY(a.succeeded + b.succeeded >= 3); // the cap holds back calls, not the whole run
        QVERIFY(qAbs(o.budget->spent() - (a.costUsd + b.costUsd)) < 1e-12);
        QCOMPARE(a.succeeded + a.notSent + b.succeeded + b.notSent, 10);
        QCOMPARE(serverRequests(server), a.succeeded + b.succeeded);
    }

    void fakeKeyLeavesNoTrace()
    {
        const QByteArray key = "sk-rs-fake-0123456789abcdef";
        qputenv("RS_FAKE_PROVIDER_KEY", key);
        QTemporaryDir dir;
        auto store = test::newProject(dir);
        test::ServerProcess server;
        QVERIFY(server.start({QStringLiteral("--verbose")}));
        ProviderConfig p = provider(server);
        p.keySource = KeySource::Environment;
        p.keyEnv = QStringLiteral("RS_FAKE_PROVIDER_KEY");
        ProviderRegistry reg;
        reg.upsert(p);
        QVERIFY(reg.save(ProviderRegistry::defaultPath()).ok());

        g_log.clear();
        auto previous = qInstallMessageHandler(captureLog);
        QLoggingCategory::setFilterRules(QStringLiteral("studio.*=true"));
        {
            LlmScheduler scheduler(prices(), store.get());
            std::vector<LlmRequest> reqs{chat(1, QStringLiteral("a")), chat(2, QStringLiteral("b"))};
            const JobSummary s = scheduler.runBlocking(p, reqs, {}, nullptr);
            QCOMPARE(s.succeeded, 2);
        }
        qInstallMessageHandler(previous);
        qunsetenv("RS_FAKE_PROVIDER_KEY");

        // Every file of the project folder (db, WAL), the settings folder, logs, server output.
        QStringList roots{dir.path(), QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation)};
        for (const QString &root : roots) {
            QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                QFile f(it.next());
                QVERIFY(f.open(QIODevice::ReadOnly));
                QVERIFY2(!f.readAll().contains(key), qPrintable(f.fileName()));
            }
        }
        QVERIFY(!g_log.join(QLatin1Char('\n')).toUtf8().contains(key));
        QVERIFY(!server.stderrText().contains(key));
    }
};

QTEST_GUILESS_MAIN(LlmEngineTest)
#include "tst_llmengine.moc"
