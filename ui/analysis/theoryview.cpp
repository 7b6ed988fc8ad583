#include "analysis/theoryview.h"

#include "analytics/theory.h"

#include <QObject>

namespace rs::ui {

ReportSection TheoryView::build(double c, double beta)
{
    using analytics::Mapping;
    ReportSection out;
    out.title = QObject::tr("Theory explorer");
    out.summary = QObject::tr("A proxy reward that re-ranks the gold reward: win rate and KL of "
                              "the KL-regularised optimum, pi ∝ pi0·exp(r/beta). Mis-ranking the "
                              "top %1% costs far more than mis-ranking the bottom %1%.")
                      .arg(c * 100, 0, 'g', 3);
    // Correct is drawn last, on top: "worst c wrong" follows it so closely that it would
    // otherwise hide it (which is the point of the figure).
    const std::vector<Mapping> mappings = {{Mapping::Kind::Reversed, 0},
                                           {Mapping::Kind::WorstWrong, c},
                                           {Mapping::Kind::TopWrong, c},
                                           {Mapping::Kind::Correct, 0}};
    const std::vector<double> betas = analytics::defaultBetas();

    ChartSpec win;
    win.title = QObject::tr("Win rate vs beta");
    win.xTitle = QObject::tr("beta (log scale)");
    win.yTitle = QObject::tr("win rate");
    win.logX = true;
    win.xRange = std::make_pair(0.01, 10.0);
    win.yRange = std::make_pair(0.0, 1.0);
    ChartSpec kl;
    kl.title = QObject::tr("KL vs beta (the same for every mapping)");
    kl.xTitle = QObject::tr("beta (log scale)");
    kl.yTitle = QObject::tr("KL (nats)");
    kl.logX = true;
    kl.xRange = std::make_pair(0.01, 10.0);
    ChartSpec winKl;
    winKl.title = QObject::tr("Win rate vs KL");
    winKl.xTitle = QObject::tr("KL (nats)");
    winKl.yTitle = QObject::tr("win rate");
    winKl.yRange = std::make_pair(0.0, 1.0);

    MetricTable table;
    table.title = QObject::tr("At beta = %1").arg(beta);
    table.headers = {QObject::tr("mapping"), QObject::tr("win rate"), QObject::tr("KL"),
                     QObject::tr("win (closed form)")};
    for (const Mapping &m : mappings) {
        const analytics::TheoryCurve curve = analytics::theoryCurve(m, betas);
        ChartSeries w{m.name(), SeriesKind::Line, {}, {}};
        ChartSeries wk{m.name(), SeriesKind::Line, {}, {}};
        for (const analytics::TheoryPoint &p : curve.points) {
            w.points.append({p.beta, p.win, {}, 0, 0});
            wk.points.append({p.kl, p.win, QObject::tr("beta %1").arg(p.beta, 0, 'g', 3), 0, 0});
        }
        win.series.append(w);
        winKl.series.append(wk);
        if (m.kind == Mapping::Kind::Correct) {
            ChartSeries k{QObject::tr("KL"), SeriesKind::Line, {}, {}};
            for (const analytics::TheoryPoint &p : curve.points)
                k.points.append({p.beta, p.kl, {}, 0, 0});
            kl.series.append(k);
        }
        const analytics::TheoryPoint at = analytics::theoryPoint(m, beta);
        table.rows.append({m.name(), at.win, at.kl,
                           at.winClosedForm ? QVariant(*at.winClosedForm) : QVariant()});
    }

    ChartSpec sweep;
    sweep.title = QObject::tr("\"Top c wrong\" at beta = %1").arg(beta);
    sweep.xTitle = QObject::tr("c (share of the top mis-ranked)");
    sweep.yTitle = QObject::tr("win rate");
    sweep.xRange = std::make_pair(0.0, 1.0);
    sweep.yRange = std::make_pair(0.0, 1.0);
    std::vector<double> cs;
    for (int i = 1; i <= 50; ++i)
        cs.push_back(i / 50.0);
    ChartSeries s{QObject::tr("top c wrong"), SeriesKind::Line, {}, {}};
    for (const analytics::SweepPoint &p : analytics::topWrongSweep(beta, cs))
        s.points.append({p.c, p.win, {}, 0, 0});
    sweep.series.append(s);

    out.charts = {win, kl, winKl, sweep};
    out.tables.append(table);
    return out;
}

} // namespace rs::ui
