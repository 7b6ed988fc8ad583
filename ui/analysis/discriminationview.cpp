#include "analysis/discriminationview.h"

#include <QObject>

#include <set>

namespace rs::ui {
namespace {

std::optional<double> rateIn(const analytics::CriterionDiscrimination &c, const QString &tier)
{
    for (const analytics::TierRate &t : c.tiers)
        if (t.tier == tier && t.n > 0)
            return t.yesRate;
    return std::nullopt;
}

} // namespace

ReportSection DiscriminationView::build(const AnalysisInput &in)
{
    ReportSection out;
    out.title = QObject::tr("Per-criterion discrimination");
    out.summary = QObject::tr("Yes-rate of each criterion per tier; the gap is the yes-rate in "
                              "%1 minus in %2. A criterion every tier passes adds no signal.")
                      .arg(in.options.tierA, in.options.tierB);
    std::vector<const analytics::CriterionDiscrimination *> rows;
    for (const analytics::CriterionDiscrimination &c : in.a.discrimination)
        if (!in.promptId || c.promptId == in.promptId)
            rows.push_back(&c);

    ChartSpec chart;
    chart.yRange = std::make_pair(0.0, 1.0);
    const bool prompts = [&] {
        std::set<qint64> ids;
        for (const auto *c : rows)
            ids.insert(c->promptId);
        return ids.size() > 1;
    }();
    if (!rows.empty() && int(rows.size()) <= kMaxBars) {
        chart.title = QObject::tr("Yes-rate per tier");
        chart.xTitle = QObject::tr("criterion");
        chart.yTitle = QObject::tr("yes-rate");
        std::set<QString> tiers;
        for (const auto *c : rows) {
            chart.categories.append(prompts ? QStringLiteral("%1:%2").arg(c->promptId).arg(c->stableId)
                                            : c->stableId);
            for (const analytics::TierRate &t : c->tiers)
                tiers.insert(t.tier);
        }
        for (const QString &tier : tiers) {
            ChartSeries s{tier.isEmpty() ? QObject::tr("(no tier)") : tier, SeriesKind::Bars, {}, {}};
            for (int i = 0; i < int(rows.size()); ++i)
                if (auto rate = rateIn(*rows[i], tier))
                    s.points.append({double(i), *rate, rows[i]->text, rows[i]->promptId, 0});
            chart.series.append(s);
        }
    } else {
        chart.title = QObject::tr("Yes-rate, %1 vs %2, per criterion").arg(in.options.tierA, in.options.tierB);
        chart.xTitle = QObject::tr("yes-rate in %1").arg(in.options.tierB);
        chart.yTitle = QObject::tr("yes-rate in %1").arg(in.options.tierA);
        chart.xRange = std::make_pair(0.0, 1.0);
        ChartSeries s{QObject::tr("criteria"), SeriesKind::Scatter, {}, {}};
        for (const auto *c : rows) {
            auto a = rateIn(*c, in.options.tierA);
            auto b = rateIn(*c, in.options.tierB);
            if (a && b)
                s.points.append({*b, *a, QStringLiteral("%1 %2").arg(c->stableId, c->text.left(60)),
                                 c->promptId, 0});
        }
        chart.series.append(s);
        chart.series.append({QObject::tr("no gap"), SeriesKind::Line, {{0, 0}, {1, 1}}, {}});
        chart.note = QObject::tr("Points above the diagonal pass more often in %1.").arg(in.options.tierA);
    }
    if (in.a.discriminationGap)
        chart.note = QObject::tr("Mean gap %1 over %2 criteria. %3")
                         .arg(in.a.discriminationGap->value, 0, 'f', 3)
                         .arg(in.a.discriminationGap->n)
                         .arg(chart.note);
    out.charts.append(chart);

    MetricTable table;
    table.title = QObject::tr("Criteria");
    table.headers = {QObject::tr("prompt"), QObject::tr("criterion"),
                     QObject::tr("yes %1").arg(in.options.tierA),
                     QObject::tr("yes %1").arg(in.options.tierB), QObject::tr("gap"),
                     QObject::tr("text")};
    for (const auto *c : rows) {
        auto a = rateIn(*c, in.options.tierA);
        auto b = rateIn(*c, in.options.tierB);
        table.rows.append({c->promptId, c->stableId, a ? QVariant(*a) : QVariant(),
                           b ? QVariant(*b) : QVariant(), c->gap ? QVariant(*c->gap) : QVariant(),
                           c->text});
        table.rowPromptIds.append(c->promptId);
    }
    out.tables.append(table);
    return out;
}

} // namespace rs::ui
