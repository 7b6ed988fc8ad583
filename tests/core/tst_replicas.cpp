// One judge served by several base URLs (vLLM/SGLang replicas), against local test servers:
// requests are spread over the replicas, the cache is shared whichever replica answered, a dead
// replica is skipped and reported down, and a replica that comes up is found by its probe.
#include "import/importer.h"
#include "judge/judgeconfig.h"
#include "llm/llmcache.h"
#include "llm/llmscheduler.h"
#include "serve/servemetrics.h"
#include "serverprocess.h"
#include "servesupport.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTest>

using namespace rs;
using namespace rs::llm;

namespace {

LlmRequest chat(std::uint64_t tag, const QString &text) {
    LlmRequest r;
    r.tag = tag;
    r.messages = {{QStringLiteral("user"), text}};
    r.maxTokens = 64;
    return r;
}

std::vector<LlmRequest> batch(int n, const QString &prefix) {
    std::vector<LlmRequest> out;
    for (int i = 0; i < n; ++i)
        out.push_back(chat(std::uint64_t(i), QStringLiteral("%1 item %2").arg(prefix).arg(i)));
    return out;
}

qint64 served(const test::ServerProcess &s) {
    return s.stats().value(QStringLiteral("model_requests")).toInteger(-1);
}

QString v1(const QString &base) {
    return base + QStringLiteral("/v1");
}

ProviderConfig replicated(const QString &first, const QStringList &replicas) {
    ProviderConfig p;
    p.name = QStringLiteral("replicated-judge");
    p.baseUrl = first;
    p.replicaUrls = replicas;
    p.model = QStringLiteral("test-judge");
    p.maxConcurrency = 8;
    p.timeoutMs = 10000;
    p.maxRetries = 4;
    return p;
}

std::optional<ReplicaState> stateOf(const LlmScheduler &s, const QString &name,
                                    const QString &url) {
    for (const ReplicaState &r : s.replicaStates(name))
        if (r.url == url)
            return r;
    return std::nullopt;
}

/// A port nothing listens on now, for a server started later.
quint16 freePort() {
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

} // namespace

class ReplicasTest final : public QObject {
    Q_OBJECT


private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void poolPicksLeastInFlightAndBacksOffProbes() {
        using namespace std::chrono_literals;
        const QStringList urls{QStringLiteral("http://a/v1"), QStringLiteral("http://b/v1"),
                               QStringLiteral("http://c/v1")};
        ReplicaPool pool(urls);
        QVERIFY(pool.tracksHealth());
        QVERIFY(!ReplicaPool({urls.first()}).tracksHealth());
        const auto t0 = ReplicaPool::Clock::time_point{} + 1h;

        // Equals are taken in turn; then the one with fewest in flight.
        std::vector<std::size_t> order;
        for (int i = 0; i < 3; ++i) {
            order.push_back(pool.pick());
            pool.started(order.back());
        }
        QCOMPARE(order, (std::vector<std::size_t>{0, 1, 2}));
        pool.finished(1, true, false, t0);
        QCOMPARE(pool.pick(), std::size_t(1));
        pool.started(1);

        // A fault takes b out; it is probed after 1 s, then 2, 4, ... at most 30 s apart.
        pool.finished(1, false, true, t0);
        QVERIFY(!pool.states()[1].up);
        QCOMPARE(pool.states()[1].failed, 1);
        for (int i = 0; i < 4; ++i)
            QVERIFY(pool.pick() != 1);
        QVERIFY(pool.takeDueProbes(t0 + 999ms).empty());
        QCOMPARE(pool.nextProbe(), t0 + 1s);
        auto now = t0 + 1s;
        auto wait = ReplicaPool::Clock::duration(1s);
        for (int round = 0; round < 8; ++round) {
            QCOMPARE(pool.takeDueProbes(now), std::vector<std::size_t>{1});
            QVERIFY(pool.takeDueProbes(now).empty()); // one probe at a time
            pool.probed(1, false, now);
            wait = std::min<ReplicaPool::Clock::duration>(wait * 2, 30s);
            QCOMPARE(pool.nextProbe(), now + wait);
            now += wait;
        }
        QCOMPARE(wait, ReplicaPool::Clock::duration(30s));
        QCOMPARE(pool.takeDueProbes(now), std::vector<std::size_t>{1});
        pool.probed(1, true, now);
        QVERIFY(pool.states()[1].up);
        QCOMPARE(pool.nextProbe(), ReplicaPool::Clock::time_point::max());

        // All down: the one probed soonest is still chosen, so requests run out their retries
        // instead of waiting for ever.
        pool.finished(0, false, true, now);
        pool.finished(1, false, true, now + 5s);
        pool.finished(2, false, true, now + 2s);
        QVERIFY(!pool.anyUp());
        QCOMPARE(pool.pick(), std::size_t(0));
        // An answer from a down replica brings it back as a probe would.
        pool.started(2);
        pool.finished(2, true, false, now + 3s);
        QVERIFY(pool.states()[2].up);
        QCOMPARE(pool.pick(), std::size_t(2));
    }

    void spreadsOverReplicasAndSharesTheCache() {
        QTemporaryDir dir;
        auto store = test::newProject(dir);
        test::ServerProcess a, b;
        QVERIFY2(a.start({QStringLiteral("--latency-ms"), QStringLiteral("20")}),
                 qPrintable(a.errorString()));
        QVERIFY2(b.start({QStringLiteral("--latency-ms"), QStringLiteral("20")}),
                 qPrintable(b.errorString()));
        const ProviderConfig p = replicated(v1(a.baseUrl()), {v1(b.baseUrl())});

        // The cache key does not depend on the replicas: it is the first URL's, as if alone.
        ProviderConfig alone = p;
        alone.replicaUrls.clear();
        const LlmRequest one = chat(1, QStringLiteral("key"));
        QCOMPARE(LlmCache::keyFor(p, one), LlmCache::keyFor(alone, one));

        LlmScheduler scheduler(PriceTable{}, store.get());
        std::vector<LlmResult> results;
        const JobSummary first =
            scheduler.runBlocking(p, batch(40, QStringLiteral("judge")), {}, &results);
        QCOMPARE(first.succeeded, 40);
        QCOMPARE(first.failed, 0);
        QCOMPARE(first.cached, 0);
        const qint64 onA = served(a), onB = served(b);
        QVERIFY2(onA >= 1 && onB >= 1, qPrintable(QStringLiteral("a %1, b %2").arg(onA).arg(onB)));
        QCOMPARE(onA + onB, 40);

        // The scheduler's own count agrees with each server's.
        // The published states trail the last answer by at most one turn of the worker.
        QTRY_VERIFY(stateOf(scheduler, p.name, p.baseUrl) &&
                    stateOf(scheduler, p.name, p.baseUrl)->answered +
                            stateOf(scheduler, p.name, p.replicaUrls.first())->answered ==
                        40);
        const auto stateA = stateOf(scheduler, p.name, p.baseUrl);
        const auto stateB = stateOf(scheduler, p.name, p.replicaUrls.first());
        QVERIFY(stateA && stateB);
        QVERIFY(stateA->up && stateB->up);
        QCOMPARE(stateA->answered, onA);
        QCOMPARE(stateB->answered, onB);
        QCOMPARE(stateA->failed + stateB->failed, 0);

        // The same batch again: every answer comes from the cache, whichever replica gave it.
        const JobSummary second =
            scheduler.runBlocking(p, batch(40, QStringLiteral("judge")), {}, nullptr);
        QCOMPARE(second.succeeded, 40);
        QCOMPARE(second.cached, 40);
        QCOMPARE(served(a) + served(b), 40);

        // And a run naming only the first URL finds them too: the cache is not split by replica.
        const JobSummary single =
            scheduler.runBlocking(alone, batch(40, QStringLiteral("judge")), {}, nullptr);
        QCOMPARE(single.cached, 40);
        QCOMPARE(served(a) + served(b), 40);
    }

    void stoppedReplicaIsSkippedAndReportedDown() {
        test::ServerProcess a, b;
        QVERIFY2(a.start({QStringLiteral("--latency-ms"), QStringLiteral("20")}),
                 qPrintable(a.errorString()));
        QVERIFY2(b.start(), qPrintable(b.errorString()));
        const QString deadUrl = v1(b.baseUrl());
        b.stop();
        // The dead one first: it is the one the first request goes to.
        const ProviderConfig p = replicated(deadUrl, {v1(a.baseUrl())});

        LlmScheduler scheduler(PriceTable{}, nullptr);
        std::vector<LlmResult> results;
        const JobSummary s =
            scheduler.runBlocking(p, batch(40, QStringLiteral("dead")), {}, &results);
        QCOMPARE(s.succeeded, 40);
        QCOMPARE(s.failed, 0);
        QCOMPARE(served(a), 40);
        // A request that met the dead replica was sent once more, never more than a retry.
        for (const LlmResult &r : results)
            QVERIFY(r.attempts == 1 || r.attempts == 2);

        // The published states trail the last answer by at most one turn of the worker.
        QTRY_VERIFY(stateOf(scheduler, p.name, v1(a.baseUrl())) &&
                    stateOf(scheduler, p.name, v1(a.baseUrl()))->answered == 40);
        const auto dead = stateOf(scheduler, p.name, deadUrl);
        QVERIFY(dead && !dead->up);
        QCOMPARE(dead->answered, 0);
        QVERIFY(dead->failed >= 1);
        const auto live = stateOf(scheduler, p.name, v1(a.baseUrl()));
        QVERIFY(live && live->up);
        QCOMPARE(live->answered, 40);
    }

    void replicaComesBackAfterItsProbe() {
        test::ServerProcess a, late;
        QVERIFY2(a.start({QStringLiteral("--latency-ms"), QStringLiteral("20")}),
                 qPrintable(a.errorString()));
        const quint16 port = freePort();
        QVERIFY(port != 0);
        const QString lateUrl = QStringLiteral("http://127.0.0.1:%1/v1").arg(port);
        const ProviderConfig p = replicated(v1(a.baseUrl()), {lateUrl});

        LlmScheduler scheduler(PriceTable{}, nullptr);
        const JobSummary before =
            scheduler.runBlocking(p, batch(20, QStringLiteral("before")), {}, nullptr);
        QCOMPARE(before.succeeded, 20);
        QCOMPARE(served(a), 20);
        QTRY_VERIFY(stateOf(scheduler, p.name, lateUrl) &&
                    !stateOf(scheduler, p.name, lateUrl)->up);

        // The later "--port" wins over ServerProcess's "--port 0".
        QVERIFY2(late.start({QStringLiteral("--port"), QString::number(port),
                             QStringLiteral("--latency-ms"), QStringLiteral("20")}),
                 qPrintable(late.errorString()));
        QCOMPARE(late.port(), port);
        // Probes back off to at most 30 s; with no request sent, only a probe can bring it back.
        QTRY_VERIFY_WITH_TIMEOUT(stateOf(scheduler, p.name, lateUrl)->up, 45000);
        QCOMPARE(served(late), 0);
        QVERIFY(late.stats()
                    .value(QStringLiteral("by_path"))
                    .toObject()
                    .value(QStringLiteral("/v1/models"))
                    .toInteger() >= 1);

        const JobSummary after =
            scheduler.runBlocking(p, batch(40, QStringLiteral("after")), {}, nullptr);
        QCOMPARE(after.succeeded, 40);
        QVERIFY(served(late) >= 1);
        QCOMPARE(served(a) + served(late), 60);
    }

    void cliTakesSeveralBaseUrls() {
        // Two prompts, three responses each, two criteria per prompt: 12 per-criterion calls.
        QTemporaryDir dir;
        QString project;
        {
            auto store = test::newProject(dir);
            project = store->path();
            test::fillServeProject(*store, dir, QStringLiteral("replicas"));
        }
        test::ServerProcess a, b, c;
        for (auto *s : {&a, &b, &c})
            QVERIFY2(s->start({QStringLiteral("--latency-ms"), QStringLiteral("20")}),
                     qPrintable(s->errorString()));
        // Repeated, and comma-separated within one: three replicas.
        const QStringList args{
            QStringLiteral("judge"),         project,
            QStringLiteral("--base-url"),    v1(a.baseUrl()),
            QStringLiteral("--base-url"),    v1(b.baseUrl()) + QLatin1Char(',') + v1(c.baseUrl()),
            QStringLiteral("--model"),       QStringLiteral("test-judge"),
            QStringLiteral("--mode"),        QStringLiteral("per-criterion"),
            QStringLiteral("--concurrency"), QStringLiteral("6")};
        QProcess judgeRun;
        judgeRun.start(QStringLiteral(RS_CLI), args);
        QVERIFY(judgeRun.waitForFinished(120000));
        QVERIFY2(judgeRun.exitCode() == 0, judgeRun.readAllStandardError().constData());
        QVERIFY(served(a) >= 1 && served(b) >= 1 && served(c) >= 1);
        QCOMPARE(served(a) + served(b) + served(c), 12);

        // Judged again naming only the first URL: nothing is asked again, the cache and verdicts
        // being keyed on it.
        QProcess again;
        again.start(QStringLiteral(RS_CLI), QStringList(args.mid(0, 4)) + args.mid(6));
        QVERIFY(again.waitForFinished(120000));
        QVERIFY2(again.exitCode() == 0, again.readAllStandardError().constData());
        QCOMPARE(served(a) + served(b) + served(c), 12);
    }

    void serveMetricsShowTheReplicas() {
        QTemporaryDir dir;
        auto store = test::newProject(dir);
        test::fillServeProject(*store, dir, QStringLiteral("replicas"));
        test::ServerProcess a, b;
        QVERIFY2(a.start({QStringLiteral("--latency-ms"), QStringLiteral("20")}),
                 qPrintable(a.errorString()));
        QVERIFY2(b.start({QStringLiteral("--latency-ms"), QStringLiteral("20")}),
                 qPrintable(b.errorString()));
        judge::JudgeConfig config;
        config.provider = replicated(v1(a.baseUrl()), {v1(b.baseUrl())});
        LlmScheduler scheduler(PriceTable{}, store.get());
        auto stack = test::startServeStack(*store, scheduler, config, {});
        QVERIFY(stack);

        nlohmann::json items = nlohmann::json::array();
        for (int i = 0; i < 8; ++i)
            items.push_back(
                {{"prompt_id", 1 + i % 2}, {"response", "Served answer " + std::to_string(i)}});
        const auto reply = test::httpRequest(
            stack->port, test::post("/v1/rewards", nlohmann::json{{"items", items}}.dump()));
        QCOMPARE(reply.status, 200);
        const qint64 calls = served(a) + served(b);
        QVERIFY(calls >= 8);

        auto metrics = [&] {
            std::string text;
            serve::HttpRequest get;
            get.method = "GET";
            get.target = "/metrics";
            stack->router->handle(std::move(get),
                                  [&text](serve::HttpResponse r) { text = r.body; });
            return text;
        };
        auto has = [&](const QString &line) {
            return metrics().find(line.toStdString() + '\n') != std::string::npos;
        };
        // Both up, and the two counts are what each server saw.
        QTRY_VERIFY(has(QStringLiteral("rs_judge_replica_requests_total{url=\"%1\"} %2")
                            .arg(v1(a.baseUrl()))
                            .arg(served(a))));
        QVERIFY(has(QStringLiteral("rs_judge_replica_requests_total{url=\"%1\"} %2")
                        .arg(v1(b.baseUrl()))
                        .arg(served(b))));
        QVERIFY(has(QStringLiteral("rs_judge_replica_up{url=\"%1\"} 1").arg(v1(a.baseUrl()))));
        QVERIFY(has(QStringLiteral("rs_judge_replica_up{url=\"%1\"} 1").arg(v1(b.baseUrl()))));
        stack.reset();
    }

    void replicasAreSavedWithTheProvider() {
        const ProviderConfig p =
            replicated(QStringLiteral("http://a:8000/v1"),
                       {QStringLiteral("http://b:8000/v1"), QStringLiteral("http://c:8000/v1")});
        const QJsonObject saved = p.toJson();
        QCOMPARE(saved.value(QStringLiteral("replica_urls")).toArray().size(), 2);
        const auto loaded = ProviderConfig::fromJson(saved);
        QVERIFY(loaded);
        QCOMPARE(loaded->baseUrl, p.baseUrl);
        QCOMPARE(loaded->replicaUrls, p.replicaUrls);
        QCOMPARE(loaded->allBaseUrls(), QStringList({QStringLiteral("http://a:8000/v1"),
                                                     QStringLiteral("http://b:8000/v1"),
                                                     QStringLiteral("http://c:8000/v1")}));
        // A provider without replicas is saved as before.
        ProviderConfig alone = p;
        alone.replicaUrls.clear();
        QVERIFY(!alone.toJson().contains(QStringLiteral("replica_urls")));
    }

    void metricsShowEachReplica() {
        ReplicaState up{QStringLiteral("http://127.0.0.1:8001/v1"), true, 0, 7, 1};
        ReplicaState down{QStringLiteral("http://127.0.0.1:8002/v1"), false, 0, 2, 3};
        const std::string text = serve::ServeMetrics().render(0, 0, {up, down});
        QVERIFY(text.find("rs_judge_replica_up{url=\"http://127.0.0.1:8001/v1\"} 1\n") !=
                std::string::npos);
        QVERIFY(text.find("rs_judge_replica_up{url=\"http://127.0.0.1:8002/v1\"} 0\n") !=
                std::string::npos);
        QVERIFY(
            text.find("rs_judge_replica_requests_total{url=\"http://127.0.0.1:8001/v1\"} 8\n") !=
            std::string::npos);
        QVERIFY(
            text.find("rs_judge_replica_requests_total{url=\"http://127.0.0.1:8002/v1\"} 5\n") !=
            std::string::npos);
        // A judge with no replicas known, or with one URL (whose health is not tracked), adds
        // nothing.
        QVERIFY(serve::ServeMetrics().render(0, 0).find("rs_judge_replica") == std::string::npos);
        QVERIFY(serve::ServeMetrics().render(0, 0, {up}).find("rs_judge_replica") ==
                std::string::npos);
    }
};

QTEST_GUILESS_MAIN(ReplicasTest)
#include "tst_replicas.moc"
