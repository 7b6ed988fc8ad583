#pragma once

#include "analysis/analysisinput.h"
#include "analysis/reportwriter.h"

namespace rs::ui {

/// Refinement timeline: per RTD round, the top score, the top-k spread, the share of prompts
/// tied at the top and the tail accuracy, averaged over prompts (or for one prompt).
class TimelineView final {
public:
    static ReportSection build(const AnalysisInput &in);
};

} // namespace rs::ui
