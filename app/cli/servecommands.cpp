#include "servecommands.h"

#include "cliargs.h"
#include "clioutput.h"
#include "judge/judgeconfig.h"
#include "judgecommands.h"
#include "llm/llmscheduler.h"
#include "llm/providerregistry.h"
#include "serve/httpserver.h"
#include "serve/livepromptindex.h"
#include "serve/rewardrouter.h"
#include "serve/rewardservice.h"
#include "serve/servedrewardlog.h"
#include "serve/servemetrics.h"
#include "serve/stepclock.h"
#include "store/database.h"
#include "store/projectstore.h"
#include "usage.h"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <pthread.h>

namespace rs::cli {
namespace {

constexpr int kGraceMs = 60000; // in-flight requests get this long to finish after SIGTERM

/// SIGTERM and SIGINT are blocked in every thread (threads inherit the mask of the thread that
/// starts them, so this runs first) and taken by sigwait() on the main thread: no handler runs
/// in the middle of a write, and shutdown is ordinary code.
sigset_t blockStopSignals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    return set;
}

} // namespace

int runServe(const QStringList &argv) {
    QString parseError;
    QStringList valued = providerOptions();
    valued << QStringLiteral("--mode") << QStringLiteral("--votes") << QStringLiteral("--rubric")
           << QStringLiteral("--responses") << QStringLiteral("--max-cost")
           << QStringLiteral("--host") << QStringLiteral("--port") << QStringLiteral("--token-env")
           << QStringLiteral("--unknown-prompt") << QStringLiteral("--max-queue")
           << QStringLiteral("--max-body-mb") << QStringLiteral("--workers")
           << QStringLiteral("--missing") << QStringLiteral("--structured")
           << QStringLiteral("--reasoning-effort") << QStringLiteral("--thinking-budget")
           << QStringLiteral("--max-tokens") << QStringLiteral("--status-every")
           << QStringLiteral("--step-gap");
    auto parsed = parseArgs(argv, valued, &parseError);
    if (!parsed)
        return usageError(parseError);
    const Args &a = *parsed;
    if (auto f = unknownFlag(a, {QStringLiteral("--show-weights")}); !f.isEmpty())
        return usageError(QStringLiteral("unknown option %1\n%2").arg(f, usage("serve")));
    if (a.positional.size() != 1)
        return usageError(usage("serve"));

    judge::JudgeConfig config;
    if (auto bad = judgeConfigFromArgs(a, &config); !bad.isEmpty())
        return usageError(bad + QLatin1Char('\n') + usage("serve"));

    bool ok = true;
    const int port = a.value(QStringLiteral("--port"), QStringLiteral("8000")).toInt(&ok);
    if (!ok || port < 0 || port > 65535)
        return usageError(QStringLiteral("--port takes 0 (any free port) to 65535"));
    const QString unknownPrompt =
        a.value(QStringLiteral("--unknown-prompt"), QStringLiteral("error"));
    if (unknownPrompt != QLatin1String("error") && unknownPrompt != QLatin1String("zero"))
        return usageError(QStringLiteral("--unknown-prompt takes error or zero"));
    const int maxQueue = a.value(QStringLiteral("--max-queue"), QStringLiteral("8192")).toInt(&ok);
    if (!ok || maxQueue < 1)
        return usageError(QStringLiteral("--max-queue takes a positive number of items"));
    const int maxBodyMb = a.value(QStringLiteral("--max-body-mb"), QStringLiteral("64")).toInt(&ok);
    if (!ok || maxBodyMb < 1 || maxBodyMb > 4096)
        return usageError(QStringLiteral("--max-body-mb takes 1 to 4096"));
    const int workers = a.value(QStringLiteral("--workers"),
                                QString::number(serve::RewardService::defaultWorkers()))
                            .toInt(&ok);
    if (!ok || workers < 1 || workers > 64)
        return usageError(QStringLiteral("--workers takes 1 to 64"));
    const int statusEvery =
        a.value(QStringLiteral("--status-every"), QStringLiteral("30")).toInt(&ok);
    if (!ok || statusEvery < 0 || statusEvery > 86400)
        return usageError(QStringLiteral("--status-every takes seconds, 0 (no status lines) to "
                                         "86400"));
    const double stepGap =
        a.value(QStringLiteral("--step-gap"), QStringLiteral("10")).toDouble(&ok);
    if (!ok || stepGap < 0 || stepGap > 86400)
        return usageError(QStringLiteral("--step-gap takes seconds, 0 (no inferred steps) to "
                                         "86400"));
    const auto missing =
        judge::missingPolicyFromName(a.value(QStringLiteral("--missing"), QStringLiteral("no")));
    if (!missing)
        return usageError(QStringLiteral("--missing takes no or drop"));
    std::string token;
    if (a.values.contains(QStringLiteral("--token-env"))) {
        const QString var = a.value(QStringLiteral("--token-env"));
        token = qEnvironmentVariable(var.toLocal8Bit().constData()).toStdString();
        if (token.empty())
            return usageError(
                QStringLiteral("--token-env %1: the variable is not set or empty").arg(var));
    }

    const sigset_t stopSignals = blockStopSignals();

    // A reward is answered after its rows are written; synced per checkpoint, not per commit:
    // a killed serve loses nothing (tst_servecrash), and a sync per commit would be most of
    // the latency serve adds to a reward.
    auto store = store::ProjectStore::openShared(a.positional.first(),
                                                 store::ProjectStore::Commits::ProcessSafe);
    if (!store)
        return fail(store.error());
    auto prices = llm::ProviderRegistry::loadPrices();
    if (!prices)
        return fail(prices.error());
    auto prompts = serve::LivePromptIndex::open(a.positional.first());
    if (!prompts)
        return fail(prompts.error());

    llm::LlmScheduler scheduler(prices.value(), store.value().get());
    serve::ServeMetrics metrics;
    serve::ServedRewardLog log(*store.value());
    serve::RewardService::Options so;
    so.config = config;
    so.job.kind = QStringLiteral("serve");
    so.job.spendingCapUsd = a.value(QStringLiteral("--max-cost"), QStringLiteral("0")).toDouble();
    so.missing = *missing;
    so.workers = workers;
    so.maxQueueItems = maxQueue;
    serve::RewardService service(*store.value(), scheduler, metrics, so);
    if (auto started = service.start(); !started)
        return fail(started.error());

    serve::HttpServer::Options ho;
    ho.host = a.value(QStringLiteral("--host"), QStringLiteral("127.0.0.1")).toStdString();
    ho.port = quint16(port);
    ho.limits.maxBodyBytes = std::size_t(maxBodyMb) * 1024 * 1024;
    serve::HttpServer *serverPtr = nullptr;
    // Inferred steps continue after the log's highest: a new training run is not merged into
    // the steps of the last one.
    auto lastStep = [&]() -> Expected<qint64> {
        auto db = store::Database::open(a.positional.first(), store::Database::Mode::ReadOnly);
        if (!db)
            return db.error();
        return db->scalar("SELECT coalesce(max(step), 0) FROM served_rewards");
    }();
    if (!lastStep)
        return fail(lastStep.error());
    serve::StepClock steps(std::chrono::duration_cast<serve::StepClock::Clock::duration>(
                               std::chrono::duration<double>(stepGap)),
                           lastStep.value() + 1);
    serve::RewardRouter::Options ro;
    ro.steps = &steps;
    ro.token = token;
    ro.unknownPromptZero = unknownPrompt == QLatin1String("zero");
    ro.openConnections = [&serverPtr] {
        return serverPtr ? std::int64_t(serverPtr->openConnections()) : 0;
    };
    ro.replicas = [&scheduler, name = config.provider.name] {
        return scheduler.replicaStates(name);
    };
    serve::RewardRouter router(service, *prompts.value(), metrics, log, service.runId(), ro);
    serve::HttpServer server(ho,
                             [&router](serve::HttpRequest &&r, serve::HttpServer::Respond respond) {
                                 router.handle(std::move(r), respond);
                             });
    serverPtr = &server;
    auto bound = server.start();
    if (!bound)
        return fail(bound.error());

    // The first line of stdout is the contract with scripts and tests that wait for the port.
    std::printf("listening on http://%s:%u\n", ho.host.c_str(), unsigned(bound.value()));
    std::fflush(stdout);
    err(QStringLiteral("serve: %1 prompts, judge run %2 (%3 · %4, %5 vote(s))%6\n")
            .arg(prompts.value()->index().size())
            .arg(service.runId())
            .arg(config.provider.model, judge::modeName(config.mode))
            .arg(config.gradings)
            .arg(token.empty() ? QStringLiteral(", no token: anyone who reaches the port can ask")
                               : QString()));
    if (steps.inferring())
        err(QStringLiteral("serve: a request without a step (`step` field or X-Training-Step "
                           "header) is logged under an inferred one, from %1 on: the next after "
                           "%2 s with no request in flight (--step-gap)\n")
                .arg(lastStep.value() + 1)
                .arg(stepGap));

    // A line on what was served every --status-every seconds while requests come in (none
    // while idle), for the terminal a training run is watched from: a trainer may log a
    // failed reward only quietly.
    const auto started = std::chrono::steady_clock::now();
    serve::MetricsSnapshot last = metrics.snapshot();
    auto lastAt = started;
    for (;;) {
        if (statusEvery <= 0) {
            int signal = 0;
            sigwait(&stopSignals, &signal);
            break;
        }
        const timespec tick{statusEvery, 0};
        if (sigtimedwait(&stopSignals, nullptr, &tick) > 0)
            break;
        const serve::MetricsSnapshot now = metrics.snapshot();
        const auto nowAt = std::chrono::steady_clock::now();
        if (now.items != last.items || now.requests != last.requests)
            err(QString::fromStdString(serve::statusLine(
                    last, now, std::chrono::duration<double>(nowAt - lastAt).count(),
                    service.queueDepth(), steps.latest())) +
                QLatin1Char('\n'));
        last = now;
        lastAt = nowAt;
    }
    err(QStringLiteral("serve: stopping; finishing the requests in flight\n"));
    server.stop(kGraceMs);
    service.stop();
    log.flush();
    if (log.failedWrites() > 0)
        err(QStringLiteral("serve: %1 served-reward log writes failed\n").arg(log.failedWrites()));
    err(QString::fromStdString(serve::statusLine(
            {}, metrics.snapshot(),
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(), 0,
            steps.latest())) +
        QStringLiteral(" · stopped\n"));
    return 0;
}

} // namespace rs::cli
