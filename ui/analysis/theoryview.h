#pragma once

#include "analysis/reportwriter.h"

namespace rs::ui {

/// Theory explorer (method.md): win rate and KL of the policy tilted by exp(r/beta), over
/// beta, for the four test mappings with mis-ranked share `c`; and at one beta the win rate
/// of "top c wrong" as c grows. Pure computation, no project needed.
class TheoryView final {
public:
    static ReportSection build(double c, double beta);
};

} // namespace rs::ui
