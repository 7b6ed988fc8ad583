#pragma once

#include <QString>

#include <optional>
#include <vector>

namespace rs::judge {

enum class Aggregation {
    WeightedSum, ///< Σ w·V / Σ w (the paper); RaR weights use it too, negatives included
    Points,      ///< HealthBench: met points / positive points, clipped to [0, 1]
    /// RaR's implicit aggregation: the judge gives one holistic 1–10 score per grading with the
    /// rubric as guidance; the base is (mean score − 1) / 9 (holisticBase). Its criteria have
    /// no verdicts of their own, so the formulas below cannot compute it: VerdictTally does,
    /// through holisticReward. Over criterion outcomes alone it reads as the weighted sum.
    Implicit
};

enum class MissingPolicy {
    CountAsNo, ///< a criterion without a verdict scores 0 (the paper's default)
    Drop       ///< it leaves the denominator instead
};

/// How the normalised score s in [0, 1] is bent before the veto cap. Power with k > 1 and
/// exponential with k > 0 widen the differences among high scores (tail-widening); k < 1
/// (power) or k < 0 (exponential) saturate instead.
enum class Shaping {
    None,
    Power,      ///< s^k
    Exponential ///< (e^(k·s) − 1) / (e^k − 1); s when k = 0
};

/// A rubric version's aggregation: the formula, then shaping, then the veto cap. Veto and
/// shaping apply under any formula.
struct AggregationSpec final {
    Aggregation type = Aggregation::WeightedSum;
    double vetoCap = 0; ///< the most a response can score when a veto criterion fails
    Shaping shaping = Shaping::None;
    double exponent = 1; ///< k of the shaping

    bool operator==(const AggregationSpec &) const = default;
};

struct CriterionOutcome final {
    double weight = 1;       ///< weight or points
    std::optional<bool> met; ///< nullopt: no usable verdict
    bool veto = false;       ///< failing it caps the reward at AggregationSpec::vetoCap
    std::optional<double> p; ///< P(yes), for the soft reward; nullopt: no usable verdict
};

/// The reward of one response under its rubric. Pure arithmetic, unit-tested by hand.
double reward(const std::vector<CriterionOutcome> &outcomes, Aggregation aggregation,
              MissingPolicy missing);
/// The same with the version's shaping and veto: finishReward(reward(...), ...).
double reward(const std::vector<CriterionOutcome> &outcomes, const AggregationSpec &aggregation,
              MissingPolicy missing);

/// Whether a veto criterion failed: its verdict is no, or it has none and missing verdicts
/// count as no.
bool vetoFailed(const std::vector<CriterionOutcome> &outcomes, MissingPolicy missing);

/// Shaping and the veto cap over a base score. Separate from the formula so that a soft
/// reward (the formula over P(yes) instead of 0/1 verdicts) is finished the same way. Without
/// shaping the base passes unchanged (it may lie outside [0, 1] with negative weights); with
/// shaping it is clamped to [0, 1] first.
double finishReward(double base, const AggregationSpec &aggregation, bool vetoFailed);

/// The same aggregation with each criterion counted by its P(yes) instead of its verdict:
/// reward_soft = Σ w·p / Σ w under weighted sum. Separates responses the hard reward ties.
double softReward(const std::vector<CriterionOutcome> &outcomes, Aggregation aggregation,
                  MissingPolicy missing);
/// The same with the version's shaping and veto (a failed veto criterion, by its verdict, caps
/// the soft reward too).
double softReward(const std::vector<CriterionOutcome> &outcomes, const AggregationSpec &aggregation,
                  MissingPolicy missing);

/// The base of an implicit aggregation from the usable holistic scores (1–10) of a response's
/// gradings: (mean − 1) / 9, in [0, 1]. The mean, not a majority: a 10-point score has no
/// majority among a few gradings (three gradings of 6, 7, 8 share none), and the mean keeps what
/// every grading said, so repeated gradings narrow the score as they narrow a vote share. No
/// usable score gives 0 under either missing policy: "drop" has nothing left to fall back on,
/// as a weighted sum whose every criterion was dropped gives 0.
double holisticBase(const std::vector<int> &scores);
/// An implicit rubric's reward: the holistic base, then shaping and the veto cap, the veto
/// read from the criteria's outcomes (veto criteria are judged as criteria under any type).
double holisticReward(const std::vector<int> &scores, const std::vector<CriterionOutcome> &outcomes,
                      const AggregationSpec &aggregation, MissingPolicy missing);

/// The majority of N gradings: yes when more than half said yes, no when more than half said
/// no; a tie (or no gradings) gives nullopt, which scoring treats like a missing verdict.
std::optional<bool> majority(int yes, int no);

Aggregation aggregationFor(const QString &scoring); ///< rubric scoring "points" → Points

/// The policy's name on the command line and in settings: "no" (count as no) or "drop".
QString missingPolicyName(MissingPolicy policy);
std::optional<MissingPolicy> missingPolicyFromName(const QString &name);

} // namespace rs::judge
