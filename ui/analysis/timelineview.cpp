#include "analysis/timelineview.h"

#include <QObject>

namespace rs::ui {

ReportSection TimelineView::build(const AnalysisInput &in)
{
    ReportSection out;
    out.title = QObject::tr("Refinement timeline");
    out.summary = QObject::tr("Each RTD round rewrites the rubric to tell the two best "
                              "responses apart: the top should spread out and ties vanish.");
    ChartSpec chart;
    chart.title = QObject::tr("Per RTD round");
    chart.xTitle = QObject::tr("round");
    chart.yTitle = QObject::tr("value");
    chart.yRange = std::make_pair(0.0, 1.0);
    ChartSeries top{QObject::tr("top score"), SeriesKind::Line, {}, {}};
    ChartSeries spread{QObject::tr("top-k spread"), SeriesKind::Line, {}, {}};
    ChartSeries ties{QObject::tr("tied at top"), SeriesKind::Line, {}, {}};
    ChartSeries tail{QObject::tr("tail accuracy"), SeriesKind::Line, {}, {}};
    MetricTable table;
    table.title = QObject::tr("Rounds");
    if (in.promptId) {
        table.headers = {QObject::tr("round"), QObject::tr("version"), QObject::tr("pair"),
                         QObject::tr("top score"), QObject::tr("top-k spread"),
                         QObject::tr("tied at top"), QObject::tr("tail accuracy")};
        for (const analytics::RtdRoundStats &r : in.a.timeline.rounds) {
            if (r.promptId != in.promptId)
                continue;
            const double x = r.round;
            if (r.topScore)
                top.points.append({x, *r.topScore, {}, r.promptId, r.pairA});
            if (r.topKSpread)
                spread.points.append({x, *r.topKSpread, {}, r.promptId, r.pairA});
            if (r.tiedAtTop)
                ties.points.append({x, *r.tiedAtTop ? 1.0 : 0.0, {}, r.promptId, r.pairA});
            if (r.tailAccuracy)
                tail.points.append({x, r.tailAccuracy->value, {}, r.promptId, r.pairA});
            table.rows.append({r.round, r.versionId,
                               r.pairA ? QStringLiteral("%1 vs %2").arg(r.pairA).arg(r.pairB)
                                       : QString(),
                               r.topScore ? QVariant(*r.topScore) : QVariant(),
                               r.topKSpread ? QVariant(*r.topKSpread) : QVariant(),
                               r.tiedAtTop ? QVariant(*r.tiedAtTop ? 1 : 0) : QVariant(),
                               r.tailAccuracy ? QVariant(r.tailAccuracy->value) : QVariant()});
            table.rowPromptIds.append(r.promptId);
        }
    } else {
        table.headers = {QObject::tr("round"), QObject::tr("prompts"), QObject::tr("mean top score"),
                         QObject::tr("mean top-k spread"), QObject::tr("tie rate"),
                         QObject::tr("tail accuracy")};
        for (const analytics::RoundSummary &r : in.a.timeline.summary) {
            const double x = r.round;
            if (r.meanTopScore)
                top.points.append({x, *r.meanTopScore, {}, 0, 0});
            if (r.meanTopKSpread)
                spread.points.append({x, *r.meanTopKSpread, {}, 0, 0});
            if (r.tieRate)
                ties.points.append({x, r.tieRate->value, {}, 0, 0});
            if (r.tailAccuracy)
                tail.points.append({x, r.tailAccuracy->value, {}, 0, 0});
            table.rows.append({r.round, r.prompts,
                               r.meanTopScore ? QVariant(*r.meanTopScore) : QVariant(),
                               r.meanTopKSpread ? QVariant(*r.meanTopKSpread) : QVariant(),
                               r.tieRate ? QVariant(r.tieRate->value) : QVariant(),
                               r.tailAccuracy ? QVariant(r.tailAccuracy->value) : QVariant()});
        }
    }
    chart.series = {top, spread, ties, tail};
    if (chart.isEmpty())
        chart.note = QObject::tr("No RTD rounds yet: refine a rubric to see its timeline.");
    out.charts.append(chart);
    out.tables.append(table);
    return out;
}

} // namespace rs::ui
