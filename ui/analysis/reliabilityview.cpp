#include "analysis/reliabilityview.h"

#include <QObject>

namespace rs::ui {
ReportSection ReliabilityView::build(const AnalysisInput &in)
{
    ReportSection out;
    out.title = QObject::tr("Judge reliability");
    out.summary = QObject::tr("How stable and how trustworthy the verdicts behind the rewards "
                              "are: repeated gradings, blind human labels (the Labels tab), a "
                              "second judge run. Intervals are 95% bootstrap intervals over "
                              "prompts.");

    ChartSpec bars;
    bars.title = QObject::tr("Judge reliability");
    bars.xTitle = QObject::tr("measure");
    bars.yTitle = QObject::tr("value");
    bars.yRange = std::make_pair(0.0, 1.0);
    bars.categories = {QObject::tr("flip rate"), QObject::tr("kappa vs blind labels"),
                       QObject::tr("run agreement"), QObject::tr("run kappa")};
    MetricTable table;
    table.title = QObject::tr("Reliability");
    table.headers = {QObject::tr("run"), QObject::tr("flip rate"), QObject::tr("cells graded ≥2"),
                     QObject::tr("kappa vs blind labels"), QObject::tr("labels"),
                     QObject::tr("compared run"), QObject::tr("agreement"), QObject::tr("run kappa"),
                     QObject::tr("flip rate 95% CI"), QObject::tr("kappa 95% CI"),
                     QObject::tr("base rate"), QObject::tr("calibrated"), QObject::tr("overrides"),
                     QObject::tr("oracle position swaps")};
    auto add = [&](const analytics::ProjectMetrics &m, const QString &label) {
        const analytics::JudgeReliability &r = m.reliability;
        ChartSeries s{label, SeriesKind::Bars, {}, {}};
        const analytics::HumanAgreement &h = m.agreement;
        const std::optional<analytics::Estimate> kappa =
            h.judgeHuman ? std::optional(h.judgeHuman->kappa) : std::nullopt;
        const std::optional<analytics::Estimate> values[] = {r.flipRate, kappa, r.runAgreement,
                                                             r.runKappa};
        for (int i = 0; i < 4; ++i)
            if (values[i])
                s.points.append({double(i), values[i]->value,
                                 QObject::tr("n = %1").arg(values[i]->n), 0, 0,
                                 errorBar(values[i]->ci)});
        bars.series.append(s);
        table.rows.append({label, estimateValue(r.flipRate), estimateCount(r.flipRate),
                           estimateValue(kappa), estimateCount(kappa),
                           r.compareRunId ? QVariant(r.compareRunId) : QVariant(),
                           estimateValue(r.runAgreement), estimateValue(r.runKappa),
                           estimateInterval(r.flipRate), estimateInterval(kappa),
                           h.judgeHuman ? QVariant(h.judgeHuman->baseRate) : QVariant(),
                           h.calibrated ? QObject::tr("yes (%1)").arg(h.judgeModel)
                                        : QObject::tr("no"),
                           r.overrides,
                           r.oracleSwapRate ? QVariant(intervalText(r.oracleSwapRate->value,
                                                                    r.oracleSwapRate->ci))
                                            : QVariant()});
    };
    add(in.a, in.labelA);
    if (in.b)
        add(*in.b, in.labelB);
    out.charts.append(bars);
    out.tables.append(table);

    MetricTable kappas;
    kappas.title = QObject::tr("Kappa per criterion, judge vs blind labels");
    kappas.headers = {QObject::tr("prompt"), QObject::tr("criterion"), QObject::tr("kappa"),
                      QObject::tr("labels"), QObject::tr("base rate"), QObject::tr("text")};
    for (const analytics::CriterionAgreement &k : in.a.agreement.perCriterion) {
        if (in.promptId && k.promptId != in.promptId)
            continue;
        kappas.rows.append({k.promptId, k.stableId,
                            k.kappa ? QVariant(intervalText(*k.kappa, k.ci)) : QVariant(), k.n,
                            k.baseRate, k.text});
        kappas.rowPromptIds.append(k.promptId);
    }
    out.tables.append(kappas);

    MetricTable disagreements;
    disagreements.title = QObject::tr("Judge and human disagree (blind labels)");
    disagreements.headers = {QObject::tr("response"), QObject::tr("criterion"),
                             QObject::tr("judge"), QObject::tr("human"),
                             QObject::tr("judge's rationale"), QObject::tr("text")};
    for (const analytics::Disagreement &d : in.a.agreement.disagreements) {
        if (in.promptId && d.promptId != in.promptId)
            continue;
        disagreements.rows.append({d.responseId, d.stableId,
                                   d.judge ? QObject::tr("yes") : QObject::tr("no"),
                                   d.human ? QObject::tr("yes") : QObject::tr("no"), d.rationale,
                                   d.text});
        disagreements.rowPromptIds.append(d.promptId);
    }
    out.tables.append(disagreements);
    return out;
}

} // namespace rs::ui
