#include "authoring/contrastiverunner.h"
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

QJsonObject reportJson(const authoring::RubricConsistency &r) {
    QJsonObject o = r.toDetail();
    o.insert(QStringLiteral("prompt_id"), r.promptId);
    o.insert(QStringLiteral("kept"), r.kept);
    if (!r.reason.isEmpty())
        o.insert(QStringLiteral("reason"), r.reason);
    return o;
}

// What the filter did, one line per dropped criterion or rejected rubric: the "why" a user
// reads before trusting the new rubrics.
void printReports(const std::vector<authoring::RubricConsistency> &reports) {
    for (const auto &r : reports) {
        for (const auto &c : r.criteria)
            if (!c.kept)
                out(QStringLiteral("  prompt %1: dropped \"%2\": %3\n")
                        .arg(r.promptId)
                        .arg(c.text, c.reason));
        if (!r.kept)
            out(QStringLiteral("  prompt %1: rubric not saved: %2\n")
                    .arg(r.promptId)
                    .arg(r.reason));
    }
}

} // namespace

int runContrastiveGenerate(const QStringList &argv) {
    QString parseError;
    QStringList valued = proposerOptions();
    valued << judgeProviderOptions() << consistencyOptions()
           << QStringLiteral("--judge-mode") << QStringLiteral("--prompts");
    auto parsed = parseArgs(argv, valued, &parseError);
    if (!parsed)
        return usageError(parseError);
    const Args &a = *parsed;
    const QString unknown =
        unknownFlag(a, {QStringLiteral("--contrastive"), QStringLiteral("--replace"),
                        QStringLiteral("--bypass-cache"), QStringLiteral("--preview"),
                        QStringLiteral("--json")});
    if (!unknown.isEmpty())
        return usageError(QStringLiteral("unknown option %1\n%2").arg(unknown, usage("generate")));
    if (a.positional.size() != 1)
        return usageError(usage("generate"));

    authoring::ContrastiveConfig config;
    auto providers = proposalProvidersFromArgs(a);
    if (!providers)
        return usageError(providers.error().message + QLatin1Char('\n') + usage("generate"));
    config.providers = providers.value();
    auto judge = authoringJudgeFromArgs(a);
    if (!judge)
        return usageError(judge.error().message);
    config.judge = judge.value();
    auto pairs = pairOptionsFromArgs(a);
    if (!pairs)
        return usageError(pairs.error().message);
    config.pairs = pairs.value();
    auto prompts = parseIdList(a.value(QStringLiteral("--prompts"), QStringLiteral("all")));
    if (!prompts)
        return usageError(QStringLiteral("--prompts takes all or a list of prompt ids: 3,5,8"));
    config.pairs.promptIds = prompts.value();
    auto consistency = consistencyFromArgs(a);
    if (!consistency)
        return usageError(consistency.error().message);
    config.consistency = consistency.value();
    config.replaceExisting = a.flags.contains(QStringLiteral("--replace"));

    const llm::JobOptions options = jobOptionsFromArgs(a, QStringLiteral("generate"));
    auto session = openLlmSession(a.positional.first());
    if (!session)
        return fail(session.error());
    authoring::ContrastiveRunner runner(*session->store, *session->scheduler);
    const QString what = config.consistency
                             ? QStringLiteral("contrastive generation with %1 (proposer only; the "
                                              "consistency filter's judging comes on top)")
                             : QStringLiteral("contrastive generation with %1");
    return runAuthoringJob(
        runner, config, options, session->prices, a, QStringLiteral("generate"),
        what.arg(config.providers.proposer.model), [&](const auto &s) {
            if (a.flags.contains(QStringLiteral("--json"))) {
                QJsonArray reports;
                for (const auto &r : s.reports)
                    reports.append(reportJson(r));
                printJson(QJsonObject{
                    {QStringLiteral("prompts"), s.inScope},
                    {QStringLiteral("no_pairs"), s.noPairs},
                    {QStringLiteral("skipped"), s.skipped},
                    {QStringLiteral("planned"), s.planned},
                    {QStringLiteral("generated"), s.generated},
                    {QStringLiteral("rejected"), s.rejected},
                    {QStringLiteral("dropped_criteria"), s.droppedCriteria},
                    {QStringLiteral("failed"), s.failed},
                    {QStringLiteral("calls"), s.calls},
                    {QStringLiteral("tokens"), s.tokens},
                    {QStringLiteral("cost_usd"), s.costUsd},
                    {QStringLiteral("cancelled"), s.cancelled},
                    {QStringLiteral("consistency"), reports},
                    {QStringLiteral("failures"), QJsonArray::fromStringList(s.failures)}});
            } else {
                out(QStringLiteral(
                        "generate --contrastive: %1 prompts (%2 without %3 pairs), %4 skipped, "
                        "%5 generated, %6 rejected by the consistency filter, %7 criteria "
                        "dropped, %8 failed; %9 calls, %10 tokens, $%11\n")
                        .arg(s.inScope)
                        .arg(s.noPairs)
                        .arg(authoring::pairSourceName(config.pairs.source))
                        .arg(s.skipped)
                        .arg(s.generated)
                        .arg(s.rejected)
                        .arg(s.droppedCriteria)
                        .arg(s.failed)
                        .arg(s.calls)
                        .arg(s.tokens)
                        .arg(s.costUsd, 0, 'f', 4));
                printReports(s.reports);
            }
            // A rubric the filter rejected is an outcome, not a failure: the run did its job.
            return s.failed;
        });
}

} // namespace rs::cli
