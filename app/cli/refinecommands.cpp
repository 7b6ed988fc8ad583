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

namespace rs::cli {
namespace {


} // namespace

int runRefine(const QStringList &argv) {
    QString parseError;
    QStringList valued = proposerOptions();
    valued << judgeProviderOptions() << consistencyOptions()
           << QStringLiteral("--rounds") << QStringLiteral("--select") << QStringLiteral("--seed")
           << QStringLiteral("--prompts") << QStringLiteral("--judge-mode");
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

    const llm::JobOptions options = jobOptionsFromArgs(a, QStringLiteral("refine"));
    auto session = openLlmSession(a.positional.first());
    if (!session)
        return fail(session.error());
    authoring::RtdRunner runner(*session->store, *session->scheduler);
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
                                  {QStringLiteral("failures"), QJsonArray::fromStringList(s.failures)}});
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
            if (config.consistency)
                out(QStringLiteral("consistency: %1 rewrites rejected, %2 criteria dropped (the "
                                   "reasons are in each version's detail and above)\n")
                        .arg(s.rejected)
                        .arg(s.droppedCriteria));
        }
        return s.failed + s.judgeFailures;
    });
}

} // namespace rs::cli
