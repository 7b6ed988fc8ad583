#pragma once

#include "metricdata.h"

#include <optional>
#include <vector>

namespace rs::analytics {

enum class Region { High, Low, Other };

/// One gold-labelled pair as tail accuracy saw it; ids let a chart open both responses.
struct PairOutcome final {
    qint64 preferenceId = 0;
    qint64 promptId = 0;
    qint64 responseA = 0;
    qint64 responseB = 0;
    double gold = 0.5; ///< P(B better) from the gold source
    double rewardA = 0;
    double rewardB = 0;
    int votesA = 0; ///< gradings preferring A (rubric preference = majority of these)
    int votesB = 0;
    Region region = Region::Other;
    double credit = 0; ///< 1 agrees with gold, 0 disagrees, 0.5 a tie under TiePolicy::Half
};

struct TailAccuracy final {
    std::optional<Estimate> high; ///< share of high-region pairs where the rubric picks gold
    std::optional<Estimate> low;
    std::optional<Estimate> all; ///< every pair with a decisive gold label
    qint64 rubricTies = 0;       ///< pairs whose gradings split evenly or rewards were equal
    qint64 goldTies = 0;         ///< pairs skipped because gold is exactly 0.5 (or missing)
    std::vector<PairOutcome> pairs;
};

/// Pairwise tail accuracy (method.md "How the paper measures rubric quality"): over pairs
/// with a gold winner and both responses scored, the share where the rubric prefers that
/// winner; the rubric's preference is the majority over the run's gradings.
TailAccuracy tailAccuracy(const MetricData &data, const MetricOptions &options);

} // namespace rs::analytics
