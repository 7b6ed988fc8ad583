#pragma once

#include "analytics/projectmetrics.h"

#include <QString>
#include <QVariant>

#include <optional>

namespace rs::ui {

/// What the metric-family views chart: the metrics of judge run A (the one the Responses tab
/// shows by default), optionally those of a second run B for a side-by-side comparison
/// (initial vs refined rubric, judged in two runs), over the whole project or one prompt.
struct AnalysisInput final {
    analytics::ProjectMetrics a;
    /// Run A's responses with their tiers and rewards (the reward distributions).
    std::vector<analytics::ResponseFacts> responses;
    std::optional<analytics::ProjectMetrics> b;
    QString labelA;
    QString labelB;
    qint64 promptId = 0; ///< 0: the whole project
    analytics::MetricOptions options;
};

/// A metric estimate as a table cell: its value (empty when the data cannot support it) and
/// the number of observations behind it.
inline QVariant estimateValue(const std::optional<analytics::Estimate> &e) {
    return e ? QVariant(e->value) : QVariant();
}
inline QVariant estimateCount(const std::optional<analytics::Estimate> &e) {
    return e ? QVariant(e->n) : QVariant(0);
}
/// A value with its 95% interval as one cell: "0.812 [0.750, 0.861]".
inline QString intervalText(double value, const std::optional<analytics::Interval> &ci) {
    const QString v = QString::number(value, 'f', 3);
    return ci ? QStringLiteral("%1 [%2, %3]")
                    .arg(v, QString::number(ci->low, 'f', 3), QString::number(ci->high, 'f', 3))
              : v;
}
/// An estimate's interval as a table cell (empty without one).
inline QVariant estimateInterval(const std::optional<analytics::Estimate> &e) {
    return e && e->ci ? QVariant(QStringLiteral("[%1, %2]")
                                     .arg(QString::number(e->ci->low, 'f', 3),
                                          QString::number(e->ci->high, 'f', 3)))
                      : QVariant();
}
/// The error bar of a chart point from an interval.
inline std::optional<std::pair<double, double>>
errorBar(const std::optional<analytics::Interval> &ci) {
    return ci ? std::optional(std::make_pair(ci->low, ci->high)) : std::nullopt;
}

} // namespace rs::ui
