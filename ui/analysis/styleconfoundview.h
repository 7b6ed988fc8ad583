#pragma once

#include "analysis/analysisinput.h"
#include "analysis/reportwriter.h"

namespace rs::ui {

/// Style confound: reward against length (one point per response) and the gold preference
/// against the length difference of each pair, with the Spearman correlations of reward and
/// gold with length, bullets and headers.
class StyleConfoundView final {
public:
    static ReportSection build(const AnalysisInput &in);
};

} // namespace rs::ui
