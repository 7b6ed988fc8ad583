#pragma once

#include "analysis/analysisinput.h"
#include "analysis/reportwriter.h"

namespace rs::ui {

/// Tail accuracy: the share of gold-labelled pairs on which the rubric picks the gold winner,
/// high-reward and low-reward regions side by side (bars per run), and every pair as a point
/// (reward difference against the gold preference) that opens its prompt.
class TailAccuracyView final {
public:
    static ReportSection build(const AnalysisInput &in);
};

} // namespace rs::ui
