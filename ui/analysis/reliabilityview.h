#pragma once

#include "analysis/analysisinput.h"
#include "analysis/reportwriter.h"

namespace rs::ui {

/// Judge reliability: flip rate across repeated gradings, Cohen's kappa of the judge against
/// human overrides (overall and per criterion), and agreement between two judge runs.
class ReliabilityView final {
public:
    static ReportSection build(const AnalysisInput &in);
};

} // namespace rs::ui
