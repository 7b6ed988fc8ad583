#include "metricscommands.h"

#include "analytics/metricsjson.h"
#include "analytics/projectmetrics.h"
#include "analytics/theory.h"
#include "analytics/trainingcurves.h"
#include "analytics/trainingstats.h"
#include "cliargs.h"
#include "clioutput.h"
#include "store/database.h"
#include "store/projectstore.h"
#include "usage.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <vector>

namespace rs::cli {
namespace {

void printJsonText(const nlohmann::json &j) {
    const std::string text = j.dump(2) + "\n";
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
}

QString ciText(const std::optional<analytics::Interval> &ci) {
    return ci ? QStringLiteral(" [%1, %2]").arg(ci->low, 0, 'f', 3).arg(ci->high, 0, 'f', 3)
              : QString();
}

QString fmt(const std::optional<analytics::Estimate> &e) {
    return e ? QStringLiteral("%1%2 (n=%3)").arg(e->value, 0, 'f', 4).arg(ciText(e->ci)).arg(e->n)
             : QStringLiteral("n/a");
}

QString fmt(const std::optional<analytics::Correlation> &c) {
    return c ? QStringLiteral("rho=%1%2 p=%3 (n=%4)")
                   .arg(c->rho, 0, 'f', 4)
                   .arg(ciText(c->ci))
                   .arg(c->pValue, 0, 'g', 3)
                   .arg(c->n)
             : QStringLiteral("n/a");
}

std::optional<std::vector<double>> numberList(const QString &text) {
    std::vector<double> out;
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const double v = part.trimmed().toDouble(&ok);
        if (!ok)
            return std::nullopt;
        out.push_back(v);
    }
    return out;
}

} // namespace

int runMetrics(const QStringList &argv) {
    QString parseError;
    const QStringList valued{QStringLiteral("--run"),       QStringLiteral("--compare-run"),
                             QStringLiteral("--ties"),      QStringLiteral("--regions"),
                             QStringLiteral("--quantile"),  QStringLiteral("--high-tiers"),
                             QStringLiteral("--low-tiers"), QStringLiteral("--tier-a"),
                             QStringLiteral("--tier-b"),    QStringLiteral("--top-k"),
                             QStringLiteral("--sources"),   QStringLiteral("--max-n"),
                             QStringLiteral("--missing"),   QStringLiteral("--bootstrap"),
                             QStringLiteral("--seed"),      QStringLiteral("--calibration-kappa")};
    auto parsed = parseArgs(argv, valued, &parseError);
    if (!parsed)
        return usageError(parseError + QLatin1Char('\n') + usage("metrics"));
    const Args &a = *parsed;
    if (const QString bad = unknownFlag(a, {QStringLiteral("--json")}); !bad.isEmpty())
        return usageError(QStringLiteral("unknown option %1\n%2").arg(bad, usage("metrics")));
    if (a.positional.size() != 1)
        return usageError(usage("metrics"));

    analytics::MetricOptions o;
    o.runId = a.value(QStringLiteral("--run"), QStringLiteral("0")).toLongLong();
    o.compareRunId = a.value(QStringLiteral("--compare-run"), QStringLiteral("0")).toLongLong();
    if (a.has(QStringLiteral("--ties"))) {
        auto t = analytics::tiePolicyFromName(a.value(QStringLiteral("--ties")));
        if (!t)
            return usageError(QStringLiteral("--ties must be wrong or half\n"));
        o.ties = *t;
    }
    if (a.has(QStringLiteral("--regions"))) {
        auto r = analytics::regionPolicyFromName(a.value(QStringLiteral("--regions")));
        if (!r)
            return usageError(
                QStringLiteral("--regions must be tiers, gold-quantile or score-quantile\n"));
        o.regions = *r;
    }
    if (a.has(QStringLiteral("--quantile"))) {
        bool ok = false;
        o.quantile = a.value(QStringLiteral("--quantile")).toDouble(&ok);
        if (!ok || o.quantile < 0 || o.quantile > 1)
            return usageError(QStringLiteral("--quantile must lie in [0, 1]\n"));
    }
    const auto list = [&](const char *name, QStringList &target) {
        if (a.has(QLatin1String(name)))
            target = a.value(QLatin1String(name)).split(QLatin1Char(','), Qt::SkipEmptyParts);
    };
    list("--high-tiers", o.highTiers);
    list("--low-tiers", o.lowTiers);
    list("--sources", o.preferenceSources);
    o.tierA = a.value(QStringLiteral("--tier-a"), o.tierA);
    o.tierB = a.value(QStringLiteral("--tier-b"), o.tierB);
    if (a.has(QStringLiteral("--top-k"))) {
        o.topK = a.value(QStringLiteral("--top-k")).toInt();
        if (o.topK < 2)
            return usageError(QStringLiteral("--top-k must be at least 2\n"));
    }
    if (a.has(QStringLiteral("--missing"))) {
        const auto missing = judge::missingPolicyFromName(a.value(QStringLiteral("--missing")));
        if (!missing)
            return usageError(QStringLiteral("--missing takes no or drop\n"));
        o.missing = *missing;
    }
    if (a.has(QStringLiteral("--bootstrap"))) {
        bool ok = false;
        o.bootstrap = a.value(QStringLiteral("--bootstrap")).toInt(&ok);
        if (!ok || o.bootstrap < 0 || o.bootstrap > 100000)
            return usageError(QStringLiteral("--bootstrap takes 0 (no intervals) to 100000\n"));
    }
    if (a.has(QStringLiteral("--seed"))) {
        bool ok = false;
        o.seed = a.value(QStringLiteral("--seed")).toULongLong(&ok);
        if (!ok)
            return usageError(QStringLiteral("--seed takes a non-negative integer\n"));
    }
    if (a.has(QStringLiteral("--calibration-kappa"))) {
        bool ok = false;
        o.calibrationKappa = a.value(QStringLiteral("--calibration-kappa")).toDouble(&ok);
        if (!ok || o.calibrationKappa < -1 || o.calibrationKappa > 1)
            return usageError(QStringLiteral("--calibration-kappa must lie in [-1, 1]\n"));
    }
    if (a.has(QStringLiteral("--max-n"))) {
        o.maxBestOfN = a.value(QStringLiteral("--max-n")).toInt();
        if (o.maxBestOfN < 1)
            return usageError(QStringLiteral("--max-n must be at least 1\n"));
    }

    // Opening through the store migrates an older project; the metrics then read on their
    // own read-only connection, as a worker in the studio does.
    auto store = store::ProjectStore::open(a.positional.first());
    if (!store)
        return fail(store.error());
    auto db = store::Database::open(a.positional.first(), store::Database::Mode::ReadOnly);
    if (!db)
        return fail(db.error());
    ProgressLine progress(QStringLiteral("metrics"));
    auto m = analytics::computeProjectMetrics(db.value(), o, [&](int done, int total) {
        progress.update(done, total);
        return true;
    });
    progress.finish();
    if (!m)
        return fail(m.error());
    const analytics::ProjectMetrics &r = m.value();
    if (a.flags.contains(QStringLiteral("--json"))) {
        printJsonText(analytics::toJson(r, o));
        return 0;
    }
    out(QStringLiteral("run %1, %2 gradings; %3 responses (%4 scored); %5 gold pairs\n")
            .arg(r.runId)
            .arg(r.gradings)
            .arg(r.responses)
            .arg(r.scoredResponses)
            .arg(r.goldPairs));
    out(QStringLiteral("tail accuracy   high %1   low %2   all %3\n")
            .arg(fmt(r.tail.high), fmt(r.tail.low), fmt(r.tail.all)));
    out(QStringLiteral("top tier        AUC %1 vs %2: %3; ties at top %4; top-%5 spread %6; dead "
                       "criteria %7/%8\n")
            .arg(o.tierA, o.tierB, fmt(r.separation.auc), fmt(r.separation.tieRate))
            .arg(o.topK)
            .arg(fmt(r.separation.meanSpread))
            .arg(r.separation.deadCriteria)
            .arg(r.separation.criteriaExamined));
    out(QStringLiteral("discrimination  mean yes-rate gap %1\n").arg(fmt(r.discriminationGap)));
    out(QStringLiteral("style (reward)  length %1; bullets %2; headers %3\n")
            .arg(fmt(r.style.rewardLength), fmt(r.style.rewardBullets),
                 fmt(r.style.rewardHeaders)));
    out(QStringLiteral("style (gold)    length %1; bullets %2; headers %3\n")
            .arg(fmt(r.style.goldLength), fmt(r.style.goldBullets), fmt(r.style.goldHeaders)));
    out(QStringLiteral("style within    length %1; bullets %2; headers %3 (per-prompt rho, mean)\n")
            .arg(fmt(r.style.rewardLengthWithin), fmt(r.style.rewardBulletsWithin),
                 fmt(r.style.rewardHeadersWithin)));
    const auto &h = r.agreement;
    out(QStringLiteral("reliability     flip rate %1; agreement with run %2: %3; overrides %4\n")
            .arg(fmt(r.reliability.flipRate))
            .arg(r.reliability.compareRunId)
            .arg(fmt(r.reliability.runAgreement))
            .arg(r.reliability.overrides));
    out(QStringLiteral("blind labels    judge vs human kappa %1, base rate %2; annotators %3 "
                       "(agreement %4); %5\n")
            .arg(h.judgeHuman ? fmt(std::optional(h.judgeHuman->kappa)) : QStringLiteral("n/a"))
            .arg(h.judgeHuman ? QString::number(h.judgeHuman->baseRate, 'f', 3)
                              : QStringLiteral("n/a"))
            .arg(h.annotatorCount)
            .arg(h.annotators ? QStringLiteral("alpha %1 over %2 cells")
                                    .arg(h.annotators->value, 0, 'f', 3)
                                    .arg(h.annotators->n)
                              : QStringLiteral("n/a"))
            .arg(h.calibrated ? QStringLiteral("calibrated (%1)").arg(h.judgeModel)
                              : QStringLiteral("not calibrated (needs >= 50 labels, kappa "
                                               "interval above %1)")
                                    .arg(h.threshold)));
    for (const auto &p : r.bestOfN)
        out(QStringLiteral("best-of-%1      by rubric %2  by gold %3  random %4  (%5 prompts)\n")
                .arg(p.n)
                .arg(p.byRubric, 0, 'f', 4)
                .arg(p.byGold, 0, 'f', 4)
                .arg(p.random, 0, 'f', 4)
                .arg(p.prompts));
    for (const auto &c : r.curves)
        if (c.peakIndex >= 0)
            out(QStringLiteral("curve %1: peak win rate %2 at step %3\n")
                    .arg(c.arm)
                    .arg(*c.points[size_t(c.peakIndex)].winRate, 0, 'f', 4)
                    .arg(c.points[size_t(c.peakIndex)].step));
    for (const auto &s : r.timeline.summary)
        out(QStringLiteral("RTD round %1: %2 prompts, top score %3\n")
                .arg(s.round)
                .arg(s.prompts)
                .arg(s.meanTopScore ? QString::number(*s.meanTopScore, 'f', 4)
                                    : QStringLiteral("n/a")));
    return 0;
}

int runTheory(const QStringList &argv) {
    QString parseError;
    auto parsed = parseArgs(argv,
                            {QStringLiteral("--beta"), QStringLiteral("--betas"),
                             QStringLiteral("--mapping"), QStringLiteral("--sweep")},
                            &parseError);
    if (!parsed)
        return usageError(parseError + QLatin1Char('\n') + usage("theory"));
    const Args &a = *parsed;
    if (const QString bad = unknownFlag(a, {QStringLiteral("--json")}); !bad.isEmpty())
        return usageError(QStringLiteral("unknown option %1\n%2").arg(bad, usage("theory")));
    std::vector<double> betas;
    if (a.has(QStringLiteral("--beta")) || a.has(QStringLiteral("--betas"))) {
        auto list = numberList(a.value(QStringLiteral("--beta")) + QLatin1Char(',') +
                               a.value(QStringLiteral("--betas")));
        if (!list || list->empty())
            return usageError(QStringLiteral("--beta needs a number\n"));
        betas = *list;
    } else {
        betas = analytics::defaultBetas();
    }
    for (double b : betas)
        if (!(b > 0) || !std::isfinite(b))
            return usageError(QStringLiteral("beta must be a positive number\n"));

    std::vector<analytics::Mapping> mappings;
    const QString name = a.value(QStringLiteral("--mapping"), QStringLiteral("all"));
    if (name == QLatin1String("all")) {
        mappings = analytics::paperMappings();
    } else {
        auto m = analytics::parseMapping(name);
        if (!m)
            return usageError(m.error().message + QLatin1Char('\n'));
        mappings.push_back(m.value());
    }
    std::vector<double> sweepCs;
    if (a.has(QStringLiteral("--sweep"))) {
        auto list = numberList(a.value(QStringLiteral("--sweep")));
        if (!list)
            return usageError(QStringLiteral("--sweep needs shares such as 0.05,0.1,0.2\n"));
        sweepCs = *list;
    }

    nlohmann::json curves = nlohmann::json::array();
    for (const auto &m : mappings) {
        const auto curve = analytics::theoryCurve(m, betas);
        if (a.flags.contains(QStringLiteral("--json"))) {
            curves.push_back(analytics::toJson(curve));
            continue;
        }
        out(QStringLiteral("%1\n  beta        win         KL          KL closed form\n")
                .arg(m.name()));
        for (const auto &p : curve.points)
            out(QStringLiteral("  %1  %2  %3  %4\n")
                    .arg(p.beta, 10, 'g', 4)
                    .arg(p.win, 10, 'f', 6)
                    .arg(p.kl, 10, 'f', 6)
                    .arg(p.klClosedForm, 10, 'f', 6));
    }
    nlohmann::json sweeps = nlohmann::json::array();
    if (!sweepCs.empty())
        for (double b : betas) {
            nlohmann::json pts = nlohmann::json::array();
            for (const auto &s : analytics::topWrongSweep(b, sweepCs)) {
                pts.push_back({{"c", s.c}, {"win", s.win}});
                if (!a.flags.contains(QStringLiteral("--json")))
                    out(QStringLiteral("beta %1: top %2 wrong -> win %3\n")
                            .arg(b)
                            .arg(s.c)
                            .arg(s.win, 0, 'f', 6));
            }
            sweeps.push_back({{"beta", b}, {"top_wrong", pts}});
        }
    if (a.flags.contains(QStringLiteral("--json"))) {
        nlohmann::json j{{"curves", curves}};
        if (!sweepCs.empty())
            j["sweep"] = sweeps;
        printJsonText(j);
    }
    return 0;
}

int runImportCurves(const QStringList &argv) {
    QString parseError;
    auto parsed = parseArgs(argv, {}, &parseError);
    if (!parsed)
        return usageError(parseError);
    const Args &a = *parsed;
    if (a.positional.size() < 2)
        return usageError(usage("import-curves"));
    auto store = store::ProjectStore::open(a.positional.first());
    if (!store)
        return fail(store.error());
    for (const QString &file : a.positional.mid(1)) {
        auto n = analytics::importTrainingCurves(*store.value(), file);
        if (!n)
            return fail(n.error());
        out(QStringLiteral("%1: %2 curve points\n").arg(file).arg(n.value()));
    }
    return 0;
}

namespace {

/// `training --criterion [PROMPT:]ID`: the criterion's pass rate at every step, for one prompt
/// or for each prompt whose rubric has a criterion of that id.
int printCriterionTrends(const analytics::TrainingStats &t, const QString &spec, bool json) {
    std::optional<qint64> prompt;
    QString id = spec;
    if (const qsizetype colon = spec.indexOf(QLatin1Char(':')); colon > 0) {
        bool ok = false;
        const qint64 p = spec.left(colon).toLongLong(&ok);
        if (ok) {
            prompt = p;
            id = spec.mid(colon + 1);
        }
    }
    if (id.isEmpty())
        return usageError(QStringLiteral("--criterion takes [PROMPT:]ID, e.g. c3 or 12:c3\n") +
                          usage("training"));
    // The prompts that served it, with its text as the newest step that judged it has it.
    std::map<qint64, QString> texts;
    for (const analytics::StepStats &s : t.steps)
        for (const analytics::CriterionPassRate &c : s.criteria)
            if (c.stableId == id && (!prompt || c.promptId == *prompt))
                texts[c.promptId] = c.text;
    if (texts.empty())
        return fail(
            makeError(prompt ? QStringLiteral("no served reward judged criterion %1 of prompt %2")
                                   .arg(id)
                                   .arg(*prompt)
                             : QStringLiteral("no served reward judged a criterion %1").arg(id)));
    nlohmann::json trends = nlohmann::json::array();
    for (const auto &[promptId, text] : texts) {
        const auto points = analytics::passRateTrend(t.steps, promptId, id);
        if (json) {
            nlohmann::json steps = nlohmann::json::array();
            for (const analytics::PassRatePoint &p : points)
                steps.push_back(
                    {{"step", p.step}, {"pass_rate", p.passRate}, {"judged", p.judged}});
            trends.push_back({{"prompt_id", promptId},
                              {"criterion", id.toStdString()},
                              {"text", text.toStdString()},
                              {"steps", std::move(steps)}});
            continue;
        }
        out(QStringLiteral("prompt %1 %2: %3\n").arg(promptId).arg(id, text.left(100)));
        out(QStringLiteral("  step   pass  judged\n"));
        for (const analytics::PassRatePoint &p : points)
            out(QStringLiteral("%1 %2 %3\n")
                    .arg(p.step, 6)
                    .arg(p.passRate, 6, 'f', 3)
                    .arg(p.judged, 7));
    }
    if (json)
        printJsonText(nlohmann::json{{"criteria", std::move(trends)}});
    return 0;
}

} // namespace

int runTraining(const QStringList &argv) {
    QString parseError;
    auto parsed = parseArgs(argv,
                            {QStringLiteral("--top"), QStringLiteral("--panel-check"),
                             QStringLiteral("--step"), QStringLiteral("--criterion")},
                            &parseError);
    if (!parsed)
        return usageError(parseError + QLatin1Char('\n') + usage("training"));
    const Args &a = *parsed;
    if (const QString bad = unknownFlag(a, {QStringLiteral("--json")}); !bad.isEmpty())
        return usageError(QStringLiteral("unknown option %1\n%2").arg(bad, usage("training")));
    if (a.positional.size() != 1)
        return usageError(usage("training"));
    if (a.has(QStringLiteral("--panel-check")))
        return runTrainingPanelCheck(a);
    if (a.has(QStringLiteral("--step")))
        return usageError(QStringLiteral("--step goes with --panel-check\n") + usage("training"));
    analytics::TrainingStatsOptions o;
    if (a.has(QStringLiteral("--top"))) {
        bool ok = false;
        o.topK = a.value(QStringLiteral("--top")).toInt(&ok);
        if (!ok || o.topK < 0)
            return usageError(QStringLiteral("--top takes a number of responses (0 or more)\n"));
    }
    // Read while serve (and the studio) keep the project open: the log is read on a
    // read-only connection, so the project lock is not taken.
    auto store = store::ProjectStore::openShared(a.positional.first());
    if (!store)
        return fail(store.error());
    auto db = store::Database::open(a.positional.first(), store::Database::Mode::ReadOnly);
    if (!db)
        return fail(db.error());
    auto stats = analytics::loadTrainingStats(db.value(), o);
    if (!stats)
        return fail(stats.error());
    const analytics::TrainingStats &t = stats.value();
    if (a.has(QStringLiteral("--criterion")))
        return printCriterionTrends(t, a.value(QStringLiteral("--criterion")),
                                    a.flags.contains(QStringLiteral("--json")));
    if (a.flags.contains(QStringLiteral("--json"))) {
        printJsonText(analytics::toJson(t));
        return 0;
    }
    out(QStringLiteral("%1 served rewards, %2 steps, %3 without a step\n")
            .arg(t.total)
            .arg(t.steps.size())
            .arg(t.withoutStep));
    if (t.steps.empty())
        return 0;
    out(QStringLiteral("  step     n   mean    p10    p50    p90  chars  words  fmt   rho(len)"
                       "  saturated\n"));
    for (const auto &s : t.steps)
        out(QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9 %10 %11\n")
                .arg(s.step, 6)
                .arg(s.rewarded, 5)
                .arg(s.meanReward, 6, 'f', 3)
                .arg(s.p10, 6, 'f', 3)
                .arg(s.p50, 6, 'f', 3)
                .arg(s.p90, 6, 'f', 3)
                .arg(s.meanChars, 6, 'f', 0)
                .arg(s.meanWords, 6, 'f', 0)
                .arg(s.formattedShare, 4, 'f', 2)
                .arg(s.rewardLength ? QString::number(s.rewardLength->rho, 'f', 3)
                                    : QStringLiteral("n/a"),
                     10)
                .arg(QStringLiteral("%1/%2").arg(s.saturatedCriteria).arg(s.criteria.size()), 10));
    const auto &last = t.steps.back();
    for (const auto &c : last.criteria)
        if (c.saturated)
            out(QStringLiteral("step %1: prompt %2 %3 saturated (pass rate %4 over %5): %6\n")
                    .arg(last.step)
                    .arg(c.promptId)
                    .arg(c.stableId)
                    .arg(c.passRate, 0, 'f', 2)
                    .arg(c.judged)
                    .arg(c.text.left(80)));
    // What the policy gained most on since each criterion was first judged: where to read the
    // top responses for a criterion met in form rather than in substance.
    std::vector<const analytics::CriterionPassRate *> rising;
    for (const auto &c : last.criteria)
        if (c.changeSinceFirst && *c.changeSinceFirst > 0)
            rising.push_back(&c);
    std::stable_sort(rising.begin(), rising.end(), [](const auto *a, const auto *b) {
        return *a->changeSinceFirst > *b->changeSinceFirst;
    });
    if (rising.size() > 3)
        rising.resize(3);
    for (const analytics::CriterionPassRate *c : rising)
        out(QStringLiteral("step %1: prompt %2 %3 rose %4 since first judged (now %5): %6\n")
                .arg(last.step)
                .arg(c->promptId)
                .arg(c->stableId)
                .arg(QStringLiteral("+%1").arg(*c->changeSinceFirst, 0, 'f', 2))
                .arg(c->passRate, 0, 'f', 2)
                .arg(c->text.left(80)));
    for (const auto &r : last.top)
        out(QStringLiteral("step %1 top: #%2 reward %3: %4\n")
                .arg(last.step)
                .arg(r.servedId)
                .arg(r.reward, 0, 'f', 3)
                .arg(r.excerpt.left(120).simplified()));
    return 0;
}

} // namespace rs::cli
