#pragma once

#include "analysis/analysisinput.h"
#include "analysis/reportwriter.h"

namespace rs::ui {

/// Top-tier separation: reward distributions by tier, the AUC of tier A over tier B, the
/// spread and ties among each prompt's top-k, and the criteria that are dead among them.
class SeparationView final {
public:
    static constexpr int kBins = 10;
    static ReportSection build(const AnalysisInput &in);
};

} // namespace rs::ui
