#include "authoring/rtdrunner.h"
#include "authoringcli.h"
#include "authoringcommands.h"
#include "cliargs.h"
#include "clioutput.h"
#include "llm/llmscheduler.h"
#include "llm/providerregistry.h"
#include "store/projectstore.h"
#include "usage.h"

#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>

namespace rs::cli {
namespace {

/// --from-step N|latest and --sample K: the served pool of online refinement, if asked for.
Expected<std::optional<authoring::ServedPool>> servedPoolFromArgs(const Args &a) {
    if (!a.has(QStringLiteral("--from-step"))) {
        if (a.has(QStringLiteral("--sample")))
            return makeError(QStringLiteral("--sample takes a sample of --from-step's responses"));
        return std::optional<authoring::ServedPool>();
    }
    authoring::ServedPool pool;
    const QString step = a.value(QStringLiteral("--from-step"));
    if (step != QLatin1String("latest")) {
        bool ok = false;
        pool.step = step.toLongLong(&ok);
        if (!ok)
            return makeError(QStringLiteral("--from-step takes a training step or latest"));
    }
    if (a.has(QStringLiteral("--sample"))) {
        bool ok = false;
        pool.sample = a.value(QStringLiteral("--sample")).toInt(&ok);
        if (!ok || pool.sample < 2)
            return makeError(QStringLiteral("--sample takes a number of at least 2 (responses per "
                                            "prompt; a round compares two)"));
    }
    return std::optional<authoring::ServedPool>(pool);
}

} // namespace

int runRefine(const QStringList &argv) {
    QString parseError;
    QStringList valued = proposerOptions();
    valued << judgeProviderOptions() << consistencyOptions() << QStringLiteral("--rounds")
           << QStringLiteral("--select") << QStringLiteral("--seed") << QStringLiteral("--prompts")
           << QStringLiteral("--judge-mode") << QStringLiteral("--from-step")
           << QStringLiteral("--sample");
    auto parsed = parseArgs(argv, valued, &parseError);
    if (!parsed)
        return usageError(parseError);
    const Args &a = *parsed;
    const QString unknown = unknownFlag(a, {QStringLiteral("--restart"), QStringLiteral("--bypass-cache"),
                                            QStringLiteral("--preview"), QStringLiteral("--json")});
    if (!unknown.isEmpty())
        return usageError(QStringLiteral("unknown option %1\n%2").arg(unknown, usage("refine")));
    if (a.positional.size() != 1)
        return usageError(usage("refine"));

    authoring::RtdConfig config;
    auto providers = proposalProvidersFromArgs(a);
    if (!providers)
        return usageError(providers.error().message + QLatin1Char('\n') + usage("refine"));
    config.providers = providers.value();
    auto judge = authoringJudgeFromArgs(a);
    if (!judge)
        return usageError(judge.error().message);
    config.judge = judge.value();
    auto pairs = pairOptionsFromArgs(a);
    if (!pairs)
        return usageError(pairs.error().message);
    config.consistencyPairs = pairs.value();
    auto consistency = consistencyFromArgs(a);
    if (!consistency)
        return usageError(consistency.error().message);
    config.consistency = consistency.value();
    if (config.consistency && config.consistencyPairs.source == authoring::PairSource::Top2)
        return usageError(QStringLiteral("refine --consistency takes --pairs gold or tiers"));

    bool ok = true;
    config.rounds = a.value(QStringLiteral("--rounds"), QStringLiteral("4")).toInt(&ok);
    if (!ok || config.rounds < 1 || config.rounds > 100)
        return usageError(QStringLiteral("--rounds takes a number from 1 to 100"));
    config.seed = a.value(QStringLiteral("--seed"), QStringLiteral("1")).toULongLong(&ok);
    if (!ok)
        return usageError(QStringLiteral("--seed takes a non-negative number"));
    const QString select = a.value(QStringLiteral("--select"), QStringLiteral("top2"));
    if (select == QLatin1String("top2")) {
        config.selection = authoring::PairSelection::Top2;
    } else if (select == QLatin1String("tied")) {
        config.selection = authoring::PairSelection::Tied;
    } else if (select.startsWith(QLatin1String("pair:"))) {
        auto ids = parseIdList(select.mid(5));
        if (!ids || ids->size() != 2)
            return usageError(QStringLiteral("--select pair:A,B takes two response ids"));
        config.selection = authoring::PairSelection::Manual;
        config.manualPair = std::make_pair(ids->at(0), ids->at(1));
    } else {
        return usageError(QStringLiteral("--select takes top2, tied or pair:A,B"));
    }
    auto prompts = parseIdList(a.value(QStringLiteral("--prompts"), QStringLiteral("all")));
    if (!prompts)
        return usageError(QStringLiteral("--prompts takes all or a list of prompt ids: 3,5,8"));
    config.promptIds = prompts.value();
    config.restart = a.flags.contains(QStringLiteral("--restart"));
    auto served = servedPoolFromArgs(a);
    if (!served)
        return usageError(served.error().message);
    config.servedPool = served.value();

    const llm::JobOptions options = jobOptionsFromArgs(a, QStringLiteral("refine"));
    auto session = openLlmSession(a.positional.first());
    if (!session)
        return fail(session.error());
    authoring::RtdRunner runner(*session->store, *session->scheduler);
    authoring::RtdPool pool;
    if (config.servedPool) {
        auto p = runner.pool(config);
        if (!p)
            return fail(p.error());
        pool = std::move(p.value());
        // "latest" is read once: a step the trainer reaches meanwhile is not mixed in.
        config.servedPool->step = pool.servedStep;
        err(QStringLiteral("pool: step %1, %2 served responses over %3 prompts (%4 served at the "
                           "step%5)\n")
                .arg(*pool.servedStep)
                .arg(pool.responseCount())
                .arg(pool.responses.size())
                .arg(pool.servedResponses)
                .arg(config.servedPool->sample > 0
                         ? QStringLiteral(", at most %1 per prompt").arg(config.servedPool->sample)
                         : QString()));
    }
    return runAuthoringJob(runner, config, options, session->prices, a, QStringLiteral("refine"),
                           QStringLiteral("refine with %1, judge %2 (estimate)")
                               .arg(config.providers.proposer.model, config.judge.provider.model),
                           [&](const auto &s) {
        if (a.flags.contains(QStringLiteral("--json"))) {
            printJson(QJsonObject{{QStringLiteral("prompts"), s.prompts},
                                  {QStringLiteral("rounds_before"), s.roundsBefore},
                                  {QStringLiteral("rounds_done"), s.roundsDone},
                                  {QStringLiteral("prompts_complete"), s.promptsComplete},
                                  {QStringLiteral("failed"), s.failed},
                                  {QStringLiteral("judge_failures"), s.judgeFailures},
                                  {QStringLiteral("rejected"), s.rejected},
                                  {QStringLiteral("dropped_criteria"), s.droppedCriteria},
                                  {QStringLiteral("calls"), s.calls},
                                  {QStringLiteral("tokens"), s.tokens},
                                  {QStringLiteral("cost_usd"), s.costUsd},
                                  {QStringLiteral("cancelled"), s.cancelled},
                                  {QStringLiteral("failures"), QJsonArray::fromStringList(s.failures)},
                                  {QStringLiteral("judge_run"), s.judgeRunId},
                                  {QStringLiteral("served_step"), s.pool.servedStep
                                                                      ? QJsonValue(*s.pool.servedStep)
                                                                      : QJsonValue()},
                                  {QStringLiteral("pool_responses"), s.pool.responseCount()},
                                  {QStringLiteral("pool_prompts"), qint64(s.pool.responses.size())}});
        } else {
            out(QStringLiteral("refine: %1 prompts, %2 rounds done now (%3 before), %4 prompts complete, "
                               "%5 failed rewrites, %6 judge failures; %7 calls, %8 tokens, $%9\n")
                    .arg(s.prompts)
                    .arg(s.roundsDone)
                    .arg(s.roundsBefore)
                    .arg(s.promptsComplete)
                    .arg(s.failed)
                    .arg(s.judgeFailures)
                    .arg(s.calls)
                    .arg(s.tokens)
                    .arg(s.costUsd, 0, 'f', 4));
            if (s.pool.servedStep)
                out(QStringLiteral("pool: the responses served at step %1, %2 over %3 prompts\n")
                        .arg(*s.pool.servedStep)
                        .arg(s.pool.responseCount())
                        .arg(s.pool.responses.size()));
            if (config.consistency)
                out(QStringLiteral("consistency: %1 rewrites rejected, %2 criteria dropped (the "
                                   "reasons are in each version's detail and above)\n")
                        .arg(s.rejected)
                        .arg(s.droppedCriteria));
        }
        if (s.pool.servedStep && s.judgeRunId && !s.pool.servedRuns.isEmpty() &&
            !s.pool.servedRuns.contains(s.judgeRunId)) {
            QList<qint64> runs(s.pool.servedRuns.begin(), s.pool.servedRuns.end());
            std::sort(runs.begin(), runs.end());
            QStringList ids;
            for (qint64 id : runs)
                ids << QString::number(id);
            err(QStringLiteral(
                    "note: step %1 was rewarded by judge run %2; this refine judged with "
                    "run %3, so serve's verdicts were not reused (pass the judge "
                    "settings serve ran with)\n")
                    .arg(*s.pool.servedStep)
                    .arg(ids.join(QLatin1Char(',')))
                    .arg(s.judgeRunId));
        }
        return s.failed + s.judgeFailures;
    });
}

} // namespace rs::cli
