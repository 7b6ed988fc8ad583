#include "analysis/separationview.h"

#include <QObject>

#include <algorithm>
#include <cmath>
#include <map>

namespace rs::ui {
namespace {

/// Calls `f` with every top-k group the spread chart plots.
template <typename F> void forEachPlottedGroup(const AnalysisInput &in, F f)
{
    for (const analytics::ProjectMetrics *m : {&in.a, in.b ? &*in.b : nullptr})
        if (m)
            for (const analytics::TopKGroup &g : m->separation.groups)
                if (!g.rewards.empty() && (!in.promptId || g.promptId == in.promptId))
                    f(g);
}

/// The reward scale: [0, 1] for weighted sums and clipped points, wider only when a rubric
/// with negative weights (RaR) produced rewards outside it.
std::pair<double, double> rewardScale(const AnalysisInput &in)
{
    double lo = 0, hi = 1;
    forEachPlottedGroup(in, [&](const analytics::TopKGroup &g) {
        for (double r : g.rewards) {
            lo = std::min(lo, r);
            hi = std::max(hi, r);
        }
    });
    return {lo, hi};
}

} // namespace

std::pair<double, double> SeparationView::bestRewardRange(const AnalysisInput &in)
{
    // The best rewards crowd the top of the scale: start a tenth below the lowest of them (on
    // a round tenth) rather than at the bottom, but never leave the reward scale, where a
    // padded or "nice" axis would suggest rewards that cannot occur.
    const auto [lo, hi] = rewardScale(in);
    double lowestBest = hi;
    forEachPlottedGroup(in, [&](const analytics::TopKGroup &g) {
        lowestBest = std::min(lowestBest, g.rewards.front());
    });
    return {std::max(lo, std::floor(lowestBest * 10) / 10 - 0.1), hi};
}

std::pair<double, double> SeparationView::spreadRange(const AnalysisInput &in)
{
    // A spread is a difference of two rewards: it lies in [0, width of the reward scale]. The
    // axis covers the largest one with a little room, in twentieths.
    const auto [lo, hi] = rewardScale(in);
    double largest = 0;
    forEachPlottedGroup(
        in, [&](const analytics::TopKGroup &g) { largest = std::max(largest, g.spread); });
    return {0.0, std::min(hi - lo, std::max(0.1, std::ceil(largest * 1.1 * 20) / 20))};
}

ReportSection SeparationView::build(const AnalysisInput &in)
{
    ReportSection out;
    out.title = QObject::tr("Top-tier separation");
    out.summary = QObject::tr("Does the rubric tell %1 responses from %2 ones, and does it "
                              "spread out each prompt's top %3?")
                      .arg(in.options.tierA, in.options.tierB)
                      .arg(in.options.topK);

    // Reward histogram per tier: shares of each tier's responses, so tiers of different
    // sizes compare.
    ChartSpec dist;
    dist.title = QObject::tr("Reward distribution by tier (%1)").arg(in.labelA);
    dist.xTitle = QObject::tr("reward (bin start; bins of 0.1)");
    dist.yTitle = QObject::tr("share of tier");
    for (int b = 0; b < kBins; ++b)
        dist.categories.append(QString::number(double(b) / kBins, 'f', 1));
    std::map<QString, std::vector<int>> bins;
    for (const analytics::ResponseFacts &r : in.responses) {
        if (!r.scored || (in.promptId && r.promptId != in.promptId))
            continue;
        auto &counts = bins[r.tier.isEmpty() ? QObject::tr("(no tier)") : r.tier];
        counts.resize(kBins, 0);
        ++counts[std::clamp(int(r.reward * kBins), 0, kBins - 1)];
    }
    for (const auto &[tier, counts] : bins) {
        int total = 0;
        for (int c : counts)
            total += c;
        ChartSeries s{tier, SeriesKind::Bars, {}, {}};
        for (int b = 0; b < kBins; ++b)
            s.points.append({double(b), total ? double(counts[b]) / total : 0.0,
                             QObject::tr("%1 of %2").arg(counts[b]).arg(total), 0, 0});
        dist.series.append(s);
    }
    if (in.a.separation.auc)
        dist.note = QObject::tr("AUC %1 vs %2: %3 over %4 same-prompt pairs.")
                        .arg(in.options.tierA, in.options.tierB)
                        .arg(in.a.separation.auc->value, 0, 'f', 3)
                        .arg(in.a.separation.auc->n);
    out.charts.append(dist);

    ChartSpec spread;
    spread.title = QObject::tr("Top-%1 spread per prompt").arg(in.options.topK);
    spread.xTitle = QObject::tr("best reward");
    spread.yTitle = QObject::tr("spread (best − k-th)");
    auto addGroups = [&](const analytics::ProjectMetrics &m, const QString &label) {
        ChartSeries s{label, SeriesKind::Scatter, {}, {}};
        ChartSeries tied{QObject::tr("%1, tied at top").arg(label), SeriesKind::Scatter, {}, {}};
        for (const analytics::TopKGroup &g : m.separation.groups) {
            if (g.rewards.empty() || (in.promptId && g.promptId != in.promptId))
                continue;
            ChartPoint p{g.rewards.front(), g.spread,
                         QObject::tr("prompt %1, %n responses", nullptr, int(g.rewards.size()))
                             .arg(g.promptId),
                         g.promptId, g.responseIds.empty() ? 0 : g.responseIds.front()};
            (g.tiedAtTop ? tied : s).points.append(p);
        }
        spread.series.append(s);
        if (!tied.points.isEmpty())
            spread.series.append(tied);
    };
    addGroups(in.a, in.labelA);
    if (in.b)
        addGroups(*in.b, in.labelB);
    spread.xRange = bestRewardRange(in);
    spread.yRange = spreadRange(in);
    out.charts.append(spread);

    MetricTable table;
    table.title = QObject::tr("Separation");
    table.headers = {QObject::tr("run"), QObject::tr("AUC %1>%2").arg(in.options.tierA, in.options.tierB),
                     QObject::tr("pooled AUC"), QObject::tr("tie rate at top"),
                     QObject::tr("mean top-k spread"), QObject::tr("dead criteria"),
                     QObject::tr("criteria examined"), QObject::tr("AUC 95% CI"),
                     QObject::tr("tie rate 95% CI"), QObject::tr("spread 95% CI")};
    auto addRow = [&](const analytics::ProjectMetrics &m, const QString &label) {
        table.rows.append(
            {label, estimateValue(m.separation.auc), estimateValue(m.separation.pooledAuc),
             estimateValue(m.separation.tieRate), estimateValue(m.separation.meanSpread),
             m.separation.deadCriteria, m.separation.criteriaExamined,
             estimateInterval(m.separation.auc), estimateInterval(m.separation.tieRate),
             estimateInterval(m.separation.meanSpread)});
    };
    addRow(in.a, in.labelA);
    if (in.b)
        addRow(*in.b, in.labelB);
    out.tables.append(table);

    MetricTable dead;
    dead.title = QObject::tr("Dead criteria among the top %1 (%2)").arg(in.options.topK).arg(in.labelA);
    dead.headers = {QObject::tr("prompt"), QObject::tr("criterion"), QObject::tr("all"),
                    QObject::tr("text")};
    for (const analytics::DeadCriterion &d : in.a.separation.dead) {
        if (in.promptId && d.promptId != in.promptId)
            continue;
        dead.rows.append({d.promptId, d.stableId,
                          d.allPass ? QObject::tr("pass") : QObject::tr("fail"), d.text});
        dead.rowPromptIds.append(d.promptId);
    }
    out.tables.append(dead);
    return out;
}

} // namespace rs::ui
