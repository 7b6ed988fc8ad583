#pragma once

#include <QString>

#include <optional>
#include <vector>

namespace rs::judge {

enum class Aggregation {
    WeightedSum, ///< Σ w·V / Σ w (the paper); RaR weights use it too, negatives included
    Points       ///< HealthBench: met points / positive points, clipped to [0, 1]
};

enum class MissingPolicy {
    CountAsNo, ///< a criterion without a verdict scores 0 (the paper's default)
    Drop       ///< it leaves the denominator instead
};

struct CriterionOutcome final {
    double weight = 1;       ///< weight or points
    std::optional<bool> met; ///< nullopt: no usable verdict
    std::optional<double> p; ///< P(yes), for the soft reward; nullopt: no usable verdict
};

/// The reward of one response under its rubric. Pure arithmetic, unit-tested by hand.
double reward(const std::vector<CriterionOutcome> &outcomes, Aggregation aggregation,
              MissingPolicy missing);

/// The same aggregation with each criterion counted by its P(yes) instead of its verdict:
/// reward_soft = Σ w·p / Σ w under weighted sum. Separates responses the hard reward ties.
double softReward(const std::vector<CriterionOutcome> &outcomes, Aggregation aggregation,
                  MissingPolicy missing);

/// The majority of N gradings: yes when more than half said yes, no when more than half said
/// no; a tie (or no gradings) gives nullopt, which scoring treats like a missing verdict.
std::optional<bool> majority(int yes, int no);

Aggregation aggregationFor(const QString &scoring); ///< rubric scoring "points" → Points

/// The policy's name on the command line and in settings: "no" (count as no) or "drop".
QString missingPolicyName(MissingPolicy policy);
std::optional<MissingPolicy> missingPolicyFromName(const QString &name);

} // namespace rs::judge
