// rubric-studio-cli prune: the criteria dead among each prompt's top responses, project-wide,
// and one step to prune them (new versions without them) or rewrite them through the proposer.
#include "analytics/metricoptions.h"
#include "authoring/prunerewriterunner.h"
#include "authoringcli.h"
#include "authoringcommands.h"
#include "cliargs.h"
#include "clioutput.h"
#include "llm/llmscheduler.h"
#include "llm/providerregistry.h"
#include "rubric/prunecriteria.h"
#include "usage.h"

#include <QJsonArray>
#include <QJsonObject>

namespace rs::cli {
namespace {

QString wayText(rubric::DeadWay way) {
    return way == rubric::DeadWay::AllPass ? QStringLiteral("all pass")
                                           : QStringLiteral("all fail");
}

QJsonObject reportJson(const rubric::DeadCriteriaReport &r) {
    QJsonArray criteria;
    for (const rubric::DeadCriterion &d : r.dead)
        criteria.push_back(QJsonObject{{QStringLiteral("prompt_id"), d.promptId},
                                       {QStringLiteral("id"), d.stableId},
                                       {QStringLiteral("text"), d.text},
                                       {QStringLiteral("weight"), d.weight},
                                       {QStringLiteral("dead"), rubric::deadWayKey(d.way)},
                                       {QStringLiteral("judged"), d.judged},
                                       {QStringLiteral("top"), d.top},
                                       {QStringLiteral("check"), d.check},
                                       {QStringLiteral("text_prompts"), d.textPrompts}});
    QJsonArray groups;
    for (const rubric::DeadGroup &g : r.groups)
        groups.push_back(QJsonObject{{QStringLiteral("text"), g.text},
                                     {QStringLiteral("prompts"), g.prompts},
                                     {QStringLiteral("all_pass"), g.allPass},
                                     {QStringLiteral("all_fail"), g.allFail}});
    return {{QStringLiteral("run_id"), r.runId},
            {QStringLiteral("top"), r.top.toJson()},
            {QStringLiteral("prompts_examined"), r.promptsExamined},
            {QStringLiteral("criteria_examined"), r.criteriaExamined},
            {QStringLiteral("dead_criteria"), qint64(r.dead.size())},
            {QStringLiteral("prompts_with_dead"), r.promptsWithDead},
            {QStringLiteral("checks"), r.checks},
            {QStringLiteral("criteria"), criteria},
            {QStringLiteral("groups"), groups}};
}

void printReport(const rubric::DeadCriteriaReport &r) {
    if (!r.runId) {
        out(QStringLiteral("prune: the project has no judge run, so no criterion can be dead\n"));
        return;
    }
    out(QStringLiteral("run %1, %2: %3 dead criteria in %4 of %5 prompts (%6 criteria examined"
                       "; %7 checked by code)\n")
            .arg(r.runId)
            .arg(r.top.describe())
            .arg(r.dead.size())
            .arg(r.promptsWithDead)
            .arg(r.promptsExamined)
            .arg(r.criteriaExamined)
            .arg(r.checks));
    if (r.dead.empty())
        return;
    out(QStringLiteral("PROMPT  ID     DEAD      TOP    WEIGHT  PROMPTS  CRITERION\n"));
    for (const rubric::DeadCriterion &d : r.dead)
        out(QStringLiteral("%1  %2 %3  %4  %5  %6  %7%8\n")
                .arg(d.promptId, 6)
                .arg(d.stableId, -6)
                .arg(wayText(d.way), -8)
                .arg(QStringLiteral("%1/%2").arg(d.judged).arg(d.top), -5)
                .arg(d.weight, 6)
                .arg(d.textPrompts, 7)
                .arg(d.check ? QStringLiteral("[check] ") : QString(), d.text));
    if (r.groups.empty())
        return;
    out(QStringLiteral("dead in many prompts:\n"));
    for (const rubric::DeadGroup &g : r.groups)
        out(QStringLiteral("  %1 prompts (%2 all pass, %3 all fail): %4\n")
                .arg(g.prompts)
                .arg(g.allPass)
                .arg(g.allFail)
                .arg(g.text));
}

int printPruned(const rubric::PruneSummary &s, bool json) {
    for (const rubric::PruneOutcome &o : s.outcomes)
        if (!o.versionId)
            err(QStringLiteral("prompt %1: %2\n").arg(o.promptId).arg(o.note));
    if (json) {
        QJsonArray outcomes;
        for (const rubric::PruneOutcome &o : s.outcomes)
            outcomes.push_back(
                QJsonObject{{QStringLiteral("prompt_id"), o.promptId},
                            {QStringLiteral("version_id"), o.versionId},
                            {QStringLiteral("removed"), QJsonArray::fromStringList(o.removed)},
                            {QStringLiteral("note"), o.note}});
        printJson({{QStringLiteral("prompts"), s.prompts},
                   {QStringLiteral("pruned"), s.pruned},
                   {QStringLiteral("removed"), s.removed},
                   {QStringLiteral("refused"), s.refused},
                   {QStringLiteral("skipped"), s.skipped},
                   {QStringLiteral("outcomes"), outcomes}});
    } else {
        out(QStringLiteral("prune: %1 prompts, %2 new versions, %3 criteria removed, %4 refused "
                           "(the rubric would be empty), %5 already pruned\n")
                .arg(s.prompts)
                .arg(s.pruned)
                .arg(s.removed)
                .arg(s.refused)
                .arg(s.skipped));
    }
    return s.refused > 0 ? 3 : 0;
}

int rewrite(const Args &a, const rubric::DeadCriteriaReport &report) {
    authoring::PruneRewriteConfig config;
    auto providers = proposalProvidersFromArgs(a);
    if (!providers)
        return usageError(providers.error().message + QLatin1Char('\n') + usage("prune"));
    config.providers = providers.value();
    config.criteria = QList<rubric::DeadCriterion>(report.dead.begin(), report.dead.end());
    config.runId = report.runId;
    config.top = report.top;
    auto session = openLlmSession(a.positional.first());
    if (!session)
        return fail(session.error());
    authoring::PruneRewriteRunner runner(*session->store, *session->scheduler);
    return runAuthoringJob(
        runner, config, jobOptionsFromArgs(a, QStringLiteral("prune")), session->prices, a,
        QStringLiteral("prune"),
        QStringLiteral("prune rewrite with %1").arg(config.providers.proposer.model),
        [&](const authoring::PruneRewriteSummary &s) {
            if (a.flags.contains(QStringLiteral("--json"))) {
                printJson({{QStringLiteral("prompts"), s.prompts},
                           {QStringLiteral("skipped"), s.skipped},
                           {QStringLiteral("planned"), s.planned},
                           {QStringLiteral("rewritten"), s.rewritten},
                           {QStringLiteral("repaired"), s.repaired},
                           {QStringLiteral("unchanged"), s.unchanged},
                           {QStringLiteral("failed"), s.failed},
                           {QStringLiteral("checks_left"), s.checks},
                           {QStringLiteral("calls"), s.calls},
                           {QStringLiteral("tokens"), s.tokens},
                           {QStringLiteral("cost_usd"), s.costUsd},
                           {QStringLiteral("cancelled"), s.cancelled},
                           {QStringLiteral("failures"), QJsonArray::fromStringList(s.failures)}});
            } else {
                out(QStringLiteral("prune rewrite: %1 prompts, %2 skipped, %3 rewritten (%4 "
                                   "repaired), %5 unchanged, %6 failed, %7 checked-by-code "
                                   "criteria left alone; %8 calls, %9 tokens, $%10\n")
                        .arg(s.prompts)
                        .arg(s.skipped)
                        .arg(s.rewritten)
                        .arg(s.repaired)
                        .arg(s.unchanged)
                        .arg(s.failed)
                        .arg(s.checks)
                        .arg(s.calls)
                        .arg(s.tokens)
                        .arg(s.costUsd, 0, 'f', 4));
            }
            return int(s.failed);
        });
}

} // namespace

int runPrune(const QStringList &argv) {
    QString parseError;
    QStringList valued = proposerOptions();
    valued << QStringLiteral("--run") << QStringLiteral("--top") << QStringLiteral("--high-tiers")
           << QStringLiteral("--min-prompts") << QStringLiteral("--prompts")
           << QStringLiteral("--apply");
    auto parsed = parseArgs(argv, valued, &parseError);
    if (!parsed)
        return usageError(parseError);
    const Args &a = *parsed;
    const QString unknown =
        unknownFlag(a, {QStringLiteral("--top-tier"), QStringLiteral("--json"),
                        QStringLiteral("--preview"), QStringLiteral("--bypass-cache")});
    if (!unknown.isEmpty())
        return usageError(QStringLiteral("unknown option %1\n%2").arg(unknown, usage("prune")));
    if (a.positional.size() != 1)
        return usageError(usage("prune"));

    rubric::DeadCriteriaOptions o;
    bool ok = true;
    if (a.has(QStringLiteral("--run"))) {
        o.runId = a.value(QStringLiteral("--run")).toLongLong(&ok);
        if (!ok || o.runId <= 0)
            return usageError(QStringLiteral("--run takes a judge run id\n"));
    }
    const bool topTier = a.flags.contains(QStringLiteral("--top-tier"));
    if (topTier && a.has(QStringLiteral("--top")))
        return usageError(QStringLiteral("--top K and --top-tier exclude each other\n"));
    if (a.has(QStringLiteral("--high-tiers")) && !topTier)
        return usageError(QStringLiteral("--high-tiers goes with --top-tier\n"));
    if (a.has(QStringLiteral("--top"))) {
        o.top.k = a.value(QStringLiteral("--top")).toInt(&ok);
        if (!ok || o.top.k < 1)
            return usageError(QStringLiteral("--top takes a number of responses of at least 1\n"));
    }
    if (topTier) {
        // The same top tiers as the metrics' tail accuracy (`metrics --high-tiers`).
        o.top.tiers = analytics::MetricOptions().highTiers;
        if (a.has(QStringLiteral("--high-tiers")))
            o.top.tiers =
                a.value(QStringLiteral("--high-tiers")).split(QLatin1Char(','), Qt::SkipEmptyParts);
        if (o.top.tiers.isEmpty())
            return usageError(QStringLiteral("--high-tiers takes tier names: excellent,great\n"));
    }
    if (a.has(QStringLiteral("--min-prompts"))) {
        o.minPrompts = a.value(QStringLiteral("--min-prompts")).toInt(&ok);
        if (!ok || o.minPrompts < 1)
            return usageError(QStringLiteral("--min-prompts takes a number of at least 1\n"));
    }
    auto prompts = parseIdList(a.value(QStringLiteral("--prompts"), QStringLiteral("all")));
    if (!prompts)
        return usageError(QStringLiteral("--prompts takes all or a list of prompt ids: 3,5,8\n"));
    o.promptIds = prompts.value();
    const QString apply = a.value(QStringLiteral("--apply"));
    if (a.has(QStringLiteral("--apply")) && apply != QLatin1String("remove") &&
        apply != QLatin1String("rewrite"))
        return usageError(QStringLiteral("--apply takes remove or rewrite\n"));
    if (apply != QLatin1String("rewrite")) {
        for (const QString &p : proposerOptions())
            if (a.values.contains(p))
                return usageError(QStringLiteral("%1 goes with --apply rewrite\n").arg(p));
        if (a.flags.contains(QStringLiteral("--preview")))
            return usageError(QStringLiteral("--preview goes with --apply rewrite\n"));
    }

    auto db = openProjectForReading(a.positional.first());
    if (!db)
        return fail(db.error());
    auto report = rubric::deadCriteria(db.value(), o);
    if (!report)
        return fail(report.error());
    const bool json = a.flags.contains(QStringLiteral("--json"));
    if (apply.isEmpty()) {
        if (json)
            printJson(reportJson(report.value()));
        else
            printReport(report.value());
        return 0;
    }
    if (apply == QLatin1String("rewrite"))
        return rewrite(a, report.value());
    auto store = store::ProjectStore::open(a.positional.first());
    if (!store)
        return fail(store.error());
    const auto &dead = report->dead;
    auto pruned = rubric::pruneCriteria(*store.value(),
                                        QList<rubric::DeadCriterion>(dead.begin(), dead.end()),
                                        report->runId, report->top);
    if (!pruned)
        return fail(pruned.error());
    return printPruned(pruned.value(), json);
}

} // namespace rs::cli
