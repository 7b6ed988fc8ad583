#include "analysis/tailaccuracyview.h"

#include <QObject>

namespace rs::ui {
ReportSection TailAccuracyView::build(const AnalysisInput &in)
{
    ReportSection out;
    out.title = QObject::tr("Tail accuracy");
    out.summary = QObject::tr("Share of gold-labelled pairs where the rubric prefers the gold "
                              "winner (majority of gradings; ties count as %1). Bars show 95% "
                              "bootstrap intervals over prompts.")
                      .arg(in.options.ties == analytics::TiePolicy::Wrong ? QObject::tr("wrong")
                                                                          : QObject::tr("half"));

    ChartSpec bars;
    bars.title = QObject::tr("Tail accuracy by region");
    bars.xTitle = QObject::tr("region");
    bars.yTitle = QObject::tr("accuracy");
    bars.yRange = std::make_pair(0.0, 1.0);
    bars.categories = {QObject::tr("high"), QObject::tr("low"), QObject::tr("all")};
    MetricTable table;
    table.title = QObject::tr("Tail accuracy");
    table.headers = {QObject::tr("run"), QObject::tr("high"), QObject::tr("high pairs"),
                     QObject::tr("low"), QObject::tr("low pairs"), QObject::tr("all"),
                     QObject::tr("rubric ties"), QObject::tr("high 95% CI"),
                     QObject::tr("low 95% CI"), QObject::tr("all 95% CI")};
    auto add = [&](const analytics::ProjectMetrics &m, const QString &label) {
        ChartSeries s{label, SeriesKind::Bars, {}, {}};
        const std::optional<analytics::Estimate> values[] = {m.tail.high, m.tail.low, m.tail.all};
        for (int i = 0; i < 3; ++i)
            if (values[i])
                s.points.append({double(i), values[i]->value,
                                 QObject::tr("%n pairs", nullptr, int(values[i]->n)), 0, 0,
                                 errorBar(values[i]->ci)});
        bars.series.append(s);
        table.rows.append({label, estimateValue(m.tail.high), estimateCount(m.tail.high),
                           estimateValue(m.tail.low), estimateCount(m.tail.low),
                           estimateValue(m.tail.all), m.tail.rubricTies,
                           estimateInterval(m.tail.high), estimateInterval(m.tail.low),
                           estimateInterval(m.tail.all)});
    };
    add(in.a, in.labelA);
    if (in.b)
        add(*in.b, in.labelB);
    if (bars.isEmpty())
        bars.note = QObject::tr("No gold preferences on scored responses yet: import pairwise "
                                "labels, pick winners in Compare, or run the pairwise oracle.");
    out.charts.append(bars);

    ChartSpec pairs;
    pairs.title = QObject::tr("Rubric vs gold, per pair");
    pairs.xTitle = QObject::tr("reward B − reward A");
    pairs.yTitle = QObject::tr("gold P(B better)");
    pairs.yRange = std::make_pair(-0.05, 1.05);
    const char *names[] = {QT_TR_NOOP("high region"), QT_TR_NOOP("low region"),
                           QT_TR_NOOP("other pairs")};
    for (int r = 0; r < 3; ++r) {
        ChartSeries s{QObject::tr(names[r]), SeriesKind::Scatter, {}, {}};
        for (const analytics::PairOutcome &p : in.a.tail.pairs)
            if (int(p.region) == r)
                s.points.append({p.rewardB - p.rewardA, p.gold,
                                 QObject::tr("pair %1/%2, credit %3")
                                     .arg(p.responseA)
                                     .arg(p.responseB)
                                     .arg(p.credit),
                                 p.promptId, p.responseB});
        if (!s.points.isEmpty())
            pairs.series.append(s);
    }
    pairs.note = QObject::tr("%1: %n pairs; points right of 0 with gold above 0.5 agree.", nullptr,
                             int(in.a.tail.pairs.size()))
                     .arg(in.labelA);
    out.charts.append(pairs);
    out.tables.append(table);
    return out;
}

} // namespace rs::ui
