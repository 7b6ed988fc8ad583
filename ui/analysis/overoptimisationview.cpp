#include "analysis/overoptimisationview.h"

#include <QObject>

namespace rs::ui {

ReportSection OverOptimisationView::build(const AnalysisInput &in)
{
    ReportSection out;
    out.title = QObject::tr("Over-optimisation");
    out.summary = QObject::tr("Where selecting by the rubric falls away from selecting by gold "
                              "as N grows, the rubric over-rates some responses; weak rubrics "
                              "peak early in training and then fall.");

    ChartSpec bon;
    bon.title = QObject::tr("Best-of-N gold score");
    bon.xTitle = QObject::tr("N");
    bon.yTitle = QObject::tr("expected gold score of the pick");
    auto addBon = [&](const analytics::ProjectMetrics &m, const QString &label, bool withRefs) {
        ChartSeries rubric{QObject::tr("by rubric (%1)").arg(label), SeriesKind::Line, {}, {}};
        ChartSeries gold{QObject::tr("by gold"), SeriesKind::Line, {}, {}};
        ChartSeries random{QObject::tr("random"), SeriesKind::Line, {}, {}};
        for (const analytics::BestOfNPoint &p : m.bestOfN) {
            const QString label = QObject::tr("%n prompts", nullptr, int(p.prompts));
            rubric.points.append({double(p.n), p.byRubric, label, 0, 0, errorBar(p.byRubricCi)});
            gold.points.append({double(p.n), p.byGold, label, 0, 0});
            random.points.append({double(p.n), p.random, label, 0, 0});
        }
        bon.series.append(rubric);
        if (withRefs) {
            bon.series.append(gold);
            bon.series.append(random);
        }
    };
    addBon(in.a, in.labelA, true);
    if (in.b)
        addBon(*in.b, in.labelB, false);
    if (in.a.bestOfN.empty())
        bon.note = QObject::tr("Needs gold preferences on scored responses.");
    out.charts.append(bon);

    ChartSpec curves;
    curves.title = QObject::tr("Training curves");
    curves.xTitle = QObject::tr("step");
    curves.yTitle = QObject::tr("win rate");
    MetricTable peaks;
    peaks.title = QObject::tr("Training curve peaks");
    peaks.headers = {QObject::tr("arm"), QObject::tr("peak step"), QObject::tr("peak win rate"),
                     QObject::tr("final step"), QObject::tr("final win rate")};
    for (const analytics::TrainingCurve &c : in.a.curves) {
        ChartSeries s{c.arm, SeriesKind::Line, {}, {}};
        std::optional<int> marked;
        for (int i = 0; i < int(c.points.size()); ++i) {
            const analytics::CurvePoint &p = c.points[i];
            if (!p.winRate)
                continue;
            if (i == c.peakIndex)
                marked = int(s.points.size());
            s.points.append({double(p.step), *p.winRate,
                             p.rubricReward ? QObject::tr("rubric reward %1").arg(*p.rubricReward, 0, 'f', 3)
                                            : QString(),
                             0, 0});
        }
        s.markedPoint = marked;
        curves.series.append(s);
        QVariantList row{c.arm};
        if (c.peakIndex >= 0) {
            row << c.points[c.peakIndex].step << c.points[c.peakIndex].winRate.value_or(0);
        } else {
            row << QVariant() << QVariant();
        }
        if (!s.points.isEmpty())
            row << qint64(s.points.last().x) << s.points.last().y;
        peaks.rows.append(row);
    }
    if (curves.isEmpty())
        curves.note =
            QObject::tr("No training curves imported yet (Analysis ▸ Import Training Curves…, or "
                        "rubric-studio-cli import-curves).");
    out.charts.append(curves);
    out.tables.append(peaks);
    return out;
}

} // namespace rs::ui
