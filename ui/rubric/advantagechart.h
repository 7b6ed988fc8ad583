#pragma once

#include "analysis/chartspec.h"
#include "analytics/aggregationpreview.h"

#include <vector>

namespace rs::ui {

/// The bar chart of one prompt's GRPO advantages, one category per response (its id and tier),
/// a bar set for the current aggregation and, unless it is the same, one for `candidateName`.
/// `current` and `candidate` hold the same responses in the same order.
ChartSpec advantageChart(const std::vector<analytics::ResponseOutcome> &current,
                         const std::vector<analytics::ResponseOutcome> &candidate,
                         const QString &candidateName);

} // namespace rs::ui
