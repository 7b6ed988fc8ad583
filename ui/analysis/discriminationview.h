#pragma once

#include "analysis/analysisinput.h"
#include "analysis/reportwriter.h"

namespace rs::ui {

/// Per-criterion discrimination: each criterion's yes-rate per tier and the gap between the
/// two compared tiers. Bars per tier for a prompt (or a small project), one point per
/// criterion otherwise.
class DiscriminationView final {
public:
    static constexpr int kMaxBars = 24;
    static ReportSection build(const AnalysisInput &in);
};

} // namespace rs::ui
