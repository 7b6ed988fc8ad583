#include "analysis/styleconfoundview.h"

#include <QObject>

namespace rs::ui {
namespace {

QString rhoText(const std::optional<analytics::Correlation> &c)
{
    if (!c)
        return QObject::tr("n/a");
    return QObject::tr("ρ = %1 (n = %2, p = %3)")
        .arg(intervalText(c->rho, c->ci))
        .arg(c->n)
        .arg(c->pValue, 0, 'g', 2);
}

QVariant ciCell(const std::optional<analytics::Interval> &ci)
{
    return ci ? QVariant(QStringLiteral("[%1, %2]").arg(ci->low, 0, 'f', 3).arg(ci->high, 0, 'f', 3))
              : QVariant();
}

QVariantList correlationRow(const QString &what, const std::optional<analytics::Correlation> &c)
{
    if (!c)
        return {what, QVariant(), QVariant(), QVariant(), QVariant()};
    return {what, c->rho, c->n, c->pValue, ciCell(c->ci)};
}

// A within-prompt mean of rhos: no p-value (the prompts' rhos are not one sample of pairs).
QVariantList withinRow(const QString &what, const std::optional<analytics::Estimate> &e)
{
    if (!e)
        return {what, QVariant(), QVariant(), QVariant(), QVariant()};
    return {what, e->value, e->n, QVariant(), ciCell(e->ci)};
}

} // namespace

ReportSection StyleConfoundView::build(const AnalysisInput &in)
{
    const analytics::StyleConfound &s = in.a.style;
    ReportSection out;
    out.title = QObject::tr("Style confound");
    out.summary = QObject::tr("A reward that follows length or formatting rewards style, not "
                              "substance; the gold judge's own length bias is shown for scale.");

    ChartSpec reward;
    reward.title = QObject::tr("Reward vs length");
    reward.xTitle = QObject::tr("length (characters)");
    reward.yTitle = QObject::tr("reward");
    reward.yRange = std::make_pair(-0.05, 1.05);
    ChartSeries points{in.labelA, SeriesKind::Scatter, {}, {}};
    for (const analytics::StylePoint &p : s.rewardPoints)
        if (!in.promptId || p.promptId == in.promptId)
            points.points.append({p.x, p.y, QObject::tr("response %1").arg(p.responseId),
                                  p.promptId, p.responseId});
    reward.series.append(points);
    reward.note = QObject::tr("Spearman reward ~ length: %1").arg(rhoText(s.rewardLength));
    out.charts.append(reward);

    ChartSpec gold;
    gold.title = QObject::tr("Gold preference vs length difference");
    gold.xTitle = QObject::tr("length B − length A (characters)");
    gold.yTitle = QObject::tr("gold P(B better)");
    gold.yRange = std::make_pair(-0.05, 1.05);
    ChartSeries pairs{QObject::tr("gold pairs"), SeriesKind::Scatter, {}, {}};
    for (const analytics::StylePoint &p : s.goldPoints)
        if (!in.promptId || p.promptId == in.promptId)
            pairs.points.append({p.x, p.y,
                                 QObject::tr("pair %1/%2").arg(p.otherId).arg(p.responseId),
                                 p.promptId, p.responseId});
    gold.series.append(pairs);
    gold.note = QObject::tr("Spearman gold ~ length difference: %1").arg(rhoText(s.goldLength));
    out.charts.append(gold);

    MetricTable table;
    table.title = QObject::tr("Rank correlations (%1)").arg(in.labelA);
    table.headers = {QObject::tr("correlation"), QObject::tr("rho"), QObject::tr("n"),
                     QObject::tr("p"), QObject::tr("95% CI (prompts)")};
    table.rows = {correlationRow(QObject::tr("reward ~ length"), s.rewardLength),
                  correlationRow(QObject::tr("reward ~ bullets"), s.rewardBullets),
                  correlationRow(QObject::tr("reward ~ headers"), s.rewardHeaders),
                  correlationRow(QObject::tr("gold ~ length difference"), s.goldLength),
                  correlationRow(QObject::tr("gold ~ bullets difference"), s.goldBullets),
                  correlationRow(QObject::tr("gold ~ headers difference"), s.goldHeaders),
                  withinRow(QObject::tr("reward ~ length, within prompt (mean; n = prompts)"),
                            s.rewardLengthWithin),
                  withinRow(QObject::tr("reward ~ bullets, within prompt"), s.rewardBulletsWithin),
                  withinRow(QObject::tr("reward ~ headers, within prompt"), s.rewardHeadersWithin)};
    out.tables.append(table);
    return out;
}

} // namespace rs::ui
