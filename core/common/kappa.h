#pragma once

#include <array>
#include <optional>

namespace rs {

/// Cohen's kappa of a 2x2 table {yes/yes, yes/no, no/yes, no/no} (rater 1 first); nullopt
/// without items, 1 with perfect agreement on a single label (chance agreement 1). One
/// definition for the metrics (judge vs human, run vs run) and for judge panels.
inline std::optional<double> kappaOfTable(const std::array<double, 4> &t) {
    const double n = t[0] + t[1] + t[2] + t[3];
    if (n <= 0)
        return std::nullopt;
    const double po = (t[0] + t[3]) / n;
    const double p1 = (t[0] + t[1]) / n; // rater 1 says yes
    const double p2 = (t[0] + t[2]) / n; // rater 2 says yes
    const double pe = p1 * p2 + (1 - p1) * (1 - p2);
    if (pe >= 1)
        return po >= 1 ? std::optional<double>(1.0) : std::nullopt;
    return (po - pe) / (1 - pe);
}

} // namespace rs
