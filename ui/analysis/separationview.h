#pragma once

#include "analysis/analysisinput.h"
#include "analysis/reportwriter.h"

#include <utility>

namespace rs::ui {

/// Top-tier separation: reward distributions by tier, the AUC of tier A over tier B, the
/// spread and ties among each prompt's top-k, and the criteria that are dead among them.
class SeparationView final {
public:
    static constexpr int kBins = 10;
    static ReportSection build(const AnalysisInput &in);

    /// The top-k spread chart's axes. Both stay inside the reward scale ([0, 1], wider only
    /// for rewards a rubric with negative weights produced): the best-reward axis from just
    /// below the lowest best reward to the top of the scale, the spread axis from 0 to a
    /// little above the largest spread, never past the width of the scale.
    static std::pair<double, double> bestRewardRange(const AnalysisInput &in);
    static std::pair<double, double> spreadRange(const AnalysisInput &in);
};

} // namespace rs::ui
