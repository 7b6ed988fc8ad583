#pragma once

#include "metricdata.h"

#include <vector>

namespace rs::analytics {

/// Expected gold score of the best of N responses of a prompt drawn without replacement,
/// averaged over prompts with at least N responses that have both a reward and a gold score.
struct BestOfNPoint final {
    int n = 0;
    double byRubric = 0; ///< pick the highest reward (ties: uniform among them)
    double byGold = 0;   ///< pick the highest gold score: the ceiling
    double random = 0;   ///< mean gold score: the floor
    qint64 prompts = 0;
    std::optional<Interval> byRubricCi; ///< bootstrap over prompts
    std::optional<Interval> byGoldCi;
    /// Per prompt (in promptIds order) the values averaged above, for the bootstrap.
    std::vector<qint64> promptIds;
    std::vector<double> rubricByPrompt;
    std::vector<double> goldByPrompt;
};

/// Over-optimisation estimate: where byRubric falls away from byGold as N grows, the rubric
/// is being gamed by responses it over-rates. Exact expectations over all N-subsets, no
/// sampling.
std::vector<BestOfNPoint> bestOfN(const MetricData &data, const MetricOptions &options);

} // namespace rs::analytics
