#pragma once

#include "analysis/analysisinput.h"
#include "analysis/reportwriter.h"

namespace rs::ui {

/// Over-optimisation: best-of-N gold score as N grows when picking by the rubric, against
/// picking by gold (the ceiling) and at random (the floor); and imported training curves
/// (step → win rate) with each arm's peak marked.
class OverOptimisationView final {
public:
    static ReportSection build(const AnalysisInput &in);
};

} // namespace rs::ui
