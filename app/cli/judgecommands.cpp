#include "judgecommands.h"

#include "authoringcli.h"
#include "cliargs.h"
#include "clioutput.h"
#include "judge/judgecascade.h"
#include "judge/judgerunner.h"
#include "judge/scorereader.h"
#include "llm/llmscheduler.h"
#include "llm/providerregistry.h"
#include "store/database.h"
#include "store/projectstore.h"
#include "usage.h"

#include <QJsonArray>
#include <QJsonObject>

#include <nlohmann/json.hpp>

#include <utility>

namespace rs::cli {
namespace {

/// The machine-readable summary of `judge --json` (one object on stdout).
QJsonObject judgeSummaryJson(const judge::JudgeRunSummary &s) {
    return QJsonObject{{QStringLiteral("run_id"), s.runId},
                       {QStringLiteral("responses"), s.responses},
                       {QStringLiteral("calls"), s.sentCalls},
                       {QStringLiteral("cached"), s.cachedCalls},
                       {QStringLiteral("failed"), s.failedCalls},
                       {QStringLiteral("refused"), s.refusedCalls},
                       {QStringLiteral("verdicts"), s.verdictsStored},
                       {QStringLiteral("verdicts_before"), s.verdictsBefore},
                       {QStringLiteral("verdicts_wanted"), s.verdictsWanted},
                       {QStringLiteral("input_tokens"), s.tokensIn},
                       {QStringLiteral("cached_input_tokens"), s.tokensCachedIn},
                       {QStringLiteral("output_tokens"), s.tokensOut},
                       {QStringLiteral("reasoning_tokens"), s.tokensReasoning},
                       {QStringLiteral("cost_usd"), s.costUsd},
                       {QStringLiteral("cap_reached"), s.capReached},
                       {QStringLiteral("cancelled"), s.cancelled}};
}

} // namespace

QString judgeConfigFromArgs(const Args &a, judge::JudgeConfig *out)
{
    judge::JudgeConfig config;
    auto provider = providerFromArgs(a, QStringLiteral("judge"));
    if (!provider)
        return provider.error().message;
    config.provider = provider.value();
    bool ok = true;
    const auto mode =
        judge::modeFromKey(a.values.value(QStringLiteral("--mode"), QStringLiteral("joint")));
    if (!mode)
        return QStringLiteral("--mode takes joint, per-criterion or probability");
    config.mode = *mode;
    const auto structured = judge::structuredFromName(
        a.values.value(QStringLiteral("--structured"), QStringLiteral("auto")));
    if (!structured)
        return QStringLiteral("--structured takes auto, json_schema, json_object, tool or off");
    config.structured = *structured;
    static const QStringList efforts{QStringLiteral("none"), QStringLiteral("minimal"),
                                     QStringLiteral("low"),  QStringLiteral("medium"),
                                     QStringLiteral("high"), QStringLiteral("xhigh"),
                                     QStringLiteral("max")};
    config.reasoningEffort = a.values.value(QStringLiteral("--reasoning-effort"));
    if (!config.reasoningEffort.isEmpty() && !efforts.contains(config.reasoningEffort))
        return QStringLiteral(
            "--reasoning-effort takes none, minimal, low, medium, high, xhigh or max");
    if (a.values.contains(QStringLiteral("--thinking-budget"))) {
        config.thinkingBudget = a.values.value(QStringLiteral("--thinking-budget")).toInt(&ok);
        if (!ok || config.thinkingBudget < 1024)
            return QStringLiteral("--thinking-budget takes a number of tokens, at least 1024");
    }
    if (a.values.contains(QStringLiteral("--max-tokens"))) {
        config.maxTokens = a.values.value(QStringLiteral("--max-tokens")).toInt(&ok);
        if (!ok || config.maxTokens < 1)
            return QStringLiteral("--max-tokens takes a positive number");
    }
    config.gradings = a.values.value(QStringLiteral("--votes"), QStringLiteral("1")).toInt(&ok);
    if (!ok || config.gradings < 1 || config.gradings > 15)
        return QStringLiteral("--votes takes a number from 1 to 15");
    config.showWeights = a.flags.contains(QStringLiteral("--show-weights"));
    const QString rubric = a.values.value(QStringLiteral("--rubric"), QStringLiteral("latest"));
    if (rubric != QLatin1String("latest"))
        return QStringLiteral("--rubric takes latest (each prompt's current version)");
    const QString responses = a.values.value(QStringLiteral("--responses"), QStringLiteral("all"));
    if (responses.startsWith(QLatin1String("tier:")))
        config.tier = responses.mid(5);
    else if (responses != QLatin1String("all"))
        return QStringLiteral("--responses takes all or tier:NAME");
    *out = config;
    return {};
}

int runJudge(const QStringList &argv)
{
    QString parseError;
    QStringList valued = providerOptions();
    valued << QStringLiteral("--mode") << QStringLiteral("--votes") << QStringLiteral("--rubric")
           << QStringLiteral("--responses") << QStringLiteral("--max-cost")
           << QStringLiteral("--structured") << QStringLiteral("--reasoning-effort")
           << QStringLiteral("--thinking-budget") << QStringLiteral("--max-tokens")
           << QStringLiteral("--only-uncertain") << QStringLiteral("--margin");
    auto parsed = parseArgs(argv, valued, &parseError);
    if (!parsed)
        return usageError(parseError);
    const Args &a = *parsed;
    const QSet<QString> knownFlags{QStringLiteral("--show-weights"),
                                   QStringLiteral("--bypass-cache"), QStringLiteral("--preview"),
                                   QStringLiteral("--json")};
    for (const QString &f : a.flags)
        if (!knownFlags.contains(f))
            return usageError(QStringLiteral("unknown option %1\n%2").arg(f, usage("judge")));
    if (a.positional.size() != 1)
        return usageError(usage("judge"));

    judge::JudgeConfig config;
    if (auto bad = judgeConfigFromArgs(a, &config); !bad.isEmpty())
        return usageError(bad + QLatin1Char('\n') + usage("judge"));

    llm::JobOptions options;
    options.kind = QStringLiteral("judge");
    options.bypassCache = a.flags.contains(QStringLiteral("--bypass-cache"));
    options.spendingCapUsd = a.values.value(QStringLiteral("--max-cost"), QStringLiteral("0")).toDouble();

    auto store = store::ProjectStore::open(a.positional.first());
    if (!store)
        return fail(store.error());
    // A cascade's strong judge: only the cells the cheap run is unsure of.
    if (a.has(QStringLiteral("--only-uncertain"))) {
        bool ok = false;
        const double margin = a.value(QStringLiteral("--margin"), QStringLiteral("0.2")).toDouble(&ok);
        if (!ok || margin < 0 || margin > 0.5)
            return usageError(QStringLiteral("--margin must lie in [0, 0.5]\n"));
        auto db = store::Database::open(a.positional.first(), store::Database::Mode::ReadOnly);
        if (!db)
            return fail(db.error());
        auto cells = judge::uncertainCells(db.value(), a.value(QStringLiteral("--only-uncertain")).toLongLong(), margin);
        if (!cells)
            return fail(cells.error());
        err(QStringLiteral("cascade: %1 of %2 cells are uncertain in run %3 (|P(yes) - 0.5| < %4)\n")
                .arg(cells->cells.size())
                .arg(cells->judged)
                .arg(a.value(QStringLiteral("--only-uncertain")))
                .arg(margin));
        if (cells->cells.isEmpty())
            return 0;
        config.cells = std::move(cells->cells);
    }
    auto prices = llm::ProviderRegistry::loadPrices();
    if (!prices)
        return fail(prices.error());
    llm::LlmScheduler scheduler(prices.value(), store.value().get());
    judge::JudgeRunner runner(*store.value(), scheduler);

    // --preview prices the run without sending anything. A run does not preview first: the
    // preview renders and keys every request before the first call (a fifth of a second per
    // thousand calls, with the judge idle), and --max-cost is what bounds the spending; the run
    // says how many calls it plans and, at the end, what they cost.
    if (a.flags.contains(QStringLiteral("--preview"))) {
        auto preview = runner.preview(config, prices.value(), options.bypassCache);
        if (!preview)
            return fail(preview.error());
        printPreview(QStringLiteral("judge %1 · %2")
                         .arg(config.provider.model, judge::modeName(config.mode)),
                     preview.value());
        return 0;
    }

    ProgressLine line(QStringLiteral("judge"));
    bool announced = false;
    auto result = runner.run(config, options, [&](const judge::JudgeProgress &p) {
        if (!std::exchange(announced, true))
            err(QStringLiteral("judge %1 · %2: %3 calls planned (cached answers are not sent)\n")
                    .arg(config.provider.model, judge::modeName(config.mode))
                    .arg(p.callsTotal));
        line.update(p.callsDone, p.callsTotal);
        return true;
    });
    line.finish();
    if (!result)
        return fail(result.error());
    const auto &s = result.value();
    for (const QString &f : s.failures)
        err(QStringLiteral("failed: %1\n").arg(f));
    (a.flags.contains(QStringLiteral("--json")) ? err : out)(
        QStringLiteral("run %1: %2 responses, %3 calls (%4 cached, %5 failed, %11 refused), %6 "
                       "verdicts stored; "
                       "%7 of %8 verdicts done before; %9 tokens, $%10\n")
            .arg(s.runId)
            .arg(s.responses)
            .arg(s.callsDone)
            .arg(s.cachedCalls)
            .arg(s.failedCalls)
            .arg(s.verdictsStored)
            .arg(s.verdictsBefore)
            .arg(s.verdictsWanted)
            .arg(s.tokens)
            .arg(s.costUsd, 0, 'f', 4)
            .arg(s.refusedCalls));
    if (a.flags.contains(QStringLiteral("--json")))
        printJson(judgeSummaryJson(s));
    // Failed calls are stored and asked again on the next run; say so with the exit code.
    return s.failedCalls > 0 ? 3 : 0;
}

int runJudgeCascade(const QStringList &argv)
{
    QString parseError;
    auto parsed = parseArgs(argv,
                            {QStringLiteral("--cheap-run"), QStringLiteral("--strong-run"),
                             QStringLiteral("--margin"), QStringLiteral("--margins")},
                            &parseError);
    if (!parsed)
        return usageError(parseError + QLatin1Char('\n') + usage("judge-cascade"));
    const Args &a = *parsed;
    if (const QString bad = unknownFlag(a, {QStringLiteral("--json"), QStringLiteral("--curve")}); !bad.isEmpty())
        return usageError(QStringLiteral("unknown option %1\n%2").arg(bad, usage("judge-cascade")));
    if (a.positional.size() != 1 || !a.has(QStringLiteral("--cheap-run")))
        return usageError(usage("judge-cascade"));
    const qint64 cheap = a.value(QStringLiteral("--cheap-run")).toLongLong();
    const qint64 strong = a.value(QStringLiteral("--strong-run"), QStringLiteral("0")).toLongLong();
    const bool json = a.flags.contains(QStringLiteral("--json"));
    if (a.flags.contains(QStringLiteral("--curve"))) {
        std::vector<double> margins;
        for (const QString &m : a.value(QStringLiteral("--margins"), QStringLiteral("0,0.05,0.1,0.2,0.3,0.4,0.5"))
                                    .split(QLatin1Char(','), Qt::SkipEmptyParts))
        {
            bool ok = false;
            const double margin = m.trimmed().toDouble(&ok);
            if (!ok || margin < 0 || margin > 0.5)
                return usageError(QStringLiteral("--margins takes numbers in [0, 0.5]: %1\n").arg(m));
            margins.push_back(margin);
        }
        auto db = openProjectForReading(a.positional.first());
        if (!db)
            return fail(db.error());
        auto curve = judge::cascadeCurve(db.value(), cheap, strong, margins);
        if (!curve)
            return fail(curve.error());
        nlohmann::json points = nlohmann::json::array();
        for (const judge::CascadePoint &p : curve.value()) {
            points.push_back({{"margin", p.margin},
                              {"escalated", p.escalated},
                              {"strong_share", p.share},
                              {"agreement_with_strong", p.agreement ? nlohmann::json(*p.agreement) : nlohmann::json(nullptr)},
                              {"compared", p.compared}});
            if (!json)
                out(QStringLiteral("margin %1  escalated %2 (%3% of strong-judge calls)%4\n")
                        .arg(p.margin, 0, 'f', 2)
                        .arg(p.escalated)
                        .arg(100 * p.share, 0, 'f', 1)
                        .arg(p.agreement ? QStringLiteral("  agrees with the strong run on %1% of %2 cells")
                                               .arg(100 * *p.agreement, 0, 'f', 1)
                                               .arg(p.compared)
                                         : QString()));
        }
        if (json)
            out(QString::fromStdString(nlohmann::json{{"cheap_run", cheap},
                                                      {"strong_run", strong ? nlohmann::json(strong) : nlohmann::json(nullptr)},
                                                      {"curve", points}}
                                           .dump(2)) +
                QLatin1Char('\n'));
        return 0;
    }
    if (strong == 0)
        return usageError(QStringLiteral("give --strong-run RUN (judged with --only-uncertain), or --curve\n") +
                          usage("judge-cascade"));
    bool ok = false;
    const double margin = a.value(QStringLiteral("--margin"), QStringLiteral("0.2")).toDouble(&ok);
    if (!ok || margin < 0 || margin > 0.5)
        return usageError(QStringLiteral("--margin must lie in [0, 0.5]\n"));
    auto project = openProject(a.positional.first());
    if (!project)
        return fail(project.error());
    auto r = judge::combineCascade(*project->store, project->db, cheap, strong, margin);
    if (!r)
        return fail(r.error());
    if (json) {
        out(QString::fromStdString(nlohmann::json{{"run_id", r->runId}, {"judged", r->judged},
                                                  {"escalated", r->escalated}, {"from_strong", r->fromStrong},
                                                  {"unresolved", r->unresolved}, {"margin", margin}}
                                       .dump(2)) +
            QLatin1Char('\n'));
        return 0;
    }
    out(QStringLiteral("cascade run %1: %2 cells, %3 escalated (%4 decided by run %5, %6 left "
                       "without a verdict)\n")
            .arg(r->runId)
            .arg(r->judged)
            .arg(r->escalated)
            .arg(r->fromStrong)
            .arg(strong)
            .arg(r->unresolved));
    return 0;
}

int runScores(const QStringList &argv)
{
    QString parseError;
    auto parsed = parseArgs(argv, {QStringLiteral("--run"), QStringLiteral("--prompt"), QStringLiteral("--missing")}, &parseError);
    if (!parsed)
        return usageError(parseError);
    const Args &a = *parsed;
    if (a.positional.size() != 1)
        return usageError(usage("scores"));
    judge::ScoreOptions options;
    options.runId = a.values.value(QStringLiteral("--run"), QStringLiteral("0")).toLongLong();
    if (a.values.contains(QStringLiteral("--prompt")))
        options.promptId = a.values.value(QStringLiteral("--prompt")).toLongLong();
    if (a.values.contains(QStringLiteral("--missing"))) {
        const auto missing =
            judge::missingPolicyFromName(a.values.value(QStringLiteral("--missing")));
        if (!missing)
            return usageError(QStringLiteral("--missing takes no or drop\n") + usage("scores"));
        options.missing = *missing;
    }

    auto store = store::ProjectStore::open(a.positional.first());
    if (!store)
        return fail(store.error());
    auto db = store::Database::open(a.positional.first(), store::Database::Mode::ReadOnly);
    if (!db)
        return fail(db.error());
    qint64 run = 0;
    auto scores = judge::computeScores(db.value(), options, &run);
    if (!scores)
        return fail(scores.error());
    if (a.flags.contains(QStringLiteral("--json"))) {
        QJsonArray list;
        for (const auto &s : scores.value()) {
            QJsonObject o{{QStringLiteral("response"), s.responseId},
                          {QStringLiteral("prompt"), s.promptId},
                          {QStringLiteral("generator"), s.generator},
                          {QStringLiteral("tier"), s.tier},
                          {QStringLiteral("reward"), s.reward},
                          {QStringLiteral("reward_soft"), s.rewardSoft},
                          {QStringLiteral("refused"), s.refused},
                          {QStringLiteral("criteria"), s.criteria},
                          {QStringLiteral("judged"), s.judged},
                          {QStringLiteral("failed"), s.failed},
                          {QStringLiteral("overridden"), s.overridden}};
            // Implicit rubrics only: the mean of the gradings' 1-10 scores (null without one).
            if (s.implicit)
                o.insert(QStringLiteral("holistic_score"),
                         s.holisticScore ? QJsonValue(*s.holisticScore) : QJsonValue());
            list.push_back(o);
        }
        printJson(QJsonObject{{QStringLiteral("run"), run},
                              {QStringLiteral("missing"), options.missing == judge::MissingPolicy::Drop
                                                              ? QStringLiteral("drop")
                                                              : QStringLiteral("no")},
                              {QStringLiteral("scores"), list}});
        return 0;
    }
    out(QStringLiteral("run %1\n%2\t%3\t%4\t%5\t%6\n")
            .arg(run)
            .arg(QStringLiteral("response"), QStringLiteral("prompt"), QStringLiteral("generator"),
                 QStringLiteral("reward"), QStringLiteral("judged")));
    for (const auto &s : scores.value())
        out(QStringLiteral("%1\t%2\t%3\t%4\t%5/%6\n")
                .arg(s.responseId)
                .arg(s.promptId)
                .arg(s.generator)
                .arg(s.reward, 0, 'f', 4)
                .arg(s.judged)
                .arg(s.criteria));
    return 0;
}

} // namespace rs::cli
