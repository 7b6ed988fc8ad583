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

} // namespace rs::ui
