#include "analysis/reliabilityview.h"

#include <QObject>

namespace rs::ui {
ReportSection ReliabilityView::build(const AnalysisInput &in)
{
    ReportSection out;
    out.title = QObject::tr("Judge reliability");
    out.summary = QObject::tr("How stable and how trustworthy the verdicts behind the rewards "
                              "are: repeated gradings, human overrides, a second judge run.");

    ChartSpec bars;
    bars.title = QObject::tr("Judge reliability");
    bars.xTitle = QObject::tr("measure");
    bars.yTitle = QObject::tr("value");
    bars.yRange = std::make_pair(0.0, 1.0);
    bars.categories = {QObject::tr("flip rate"), QObject::tr("kappa vs human"),
                       QObject::tr("run agreement"), QObject::tr("run kappa")};
    MetricTable table;
    table.title = QObject::tr("Reliability");
    table.headers = {QObject::tr("run"), QObject::tr("flip rate"), QObject::tr("cells graded ≥2"),
                     QObject::tr("kappa vs human"), QObject::tr("overrides"),
                     QObject::tr("compared run"), QObject::tr("agreement"), QObject::tr("run kappa")};
    auto add = [&](const analytics::ProjectMetrics &m, const QString &label) {
        const analytics::JudgeReliability &r = m.reliability;
        ChartSeries s{label, SeriesKind::Bars, {}, {}};
        const std::optional<analytics::Estimate> values[] = {r.flipRate, r.overrideKappa,
                                                             r.runAgreement, r.runKappa};
        for (int i = 0; i < 4; ++i)
            if (values[i])
                s.points.append({double(i), values[i]->value,
                                 QObject::tr("n = %1").arg(values[i]->n), 0, 0});
        bars.series.append(s);
        table.rows.append({label, estimateValue(r.flipRate), estimateCount(r.flipRate),
                           estimateValue(r.overrideKappa), estimateCount(r.overrideKappa),
                           r.compareRunId ? QVariant(r.compareRunId) : QVariant(),
                           estimateValue(r.runAgreement), estimateValue(r.runKappa)});
    };
    add(in.a, in.labelA);
    if (in.b)
        add(*in.b, in.labelB);
    out.charts.append(bars);
    out.tables.append(table);

    MetricTable kappas;
    kappas.title = QObject::tr("Kappa per criterion, judge vs human overrides");
    kappas.headers = {QObject::tr("prompt"), QObject::tr("criterion"), QObject::tr("kappa"),
                      QObject::tr("overrides"), QObject::tr("text")};
    for (const analytics::CriterionKappa &k : in.a.reliability.perCriterion) {
        if (in.promptId && k.promptId != in.promptId)
            continue;
        kappas.rows.append({k.promptId, k.stableId, k.kappa ? QVariant(*k.kappa) : QVariant(),
                            k.n, k.text});
        kappas.rowPromptIds.append(k.promptId);
    }
    out.tables.append(kappas);
    return out;
}

} // namespace rs::ui
