#include "scoring.h"

#include <algorithm>
#include <cmath>

namespace rs::judge {

namespace {

/// One formula for the hard and the soft reward: value(o) is a criterion's 0..1 credit and
/// nullopt when it has no usable verdict.
template <typename Value>
double aggregateOutcomes(const std::vector<CriterionOutcome> &outcomes, Aggregation aggregation,
                         MissingPolicy missing, Value value) {
    if (aggregation == Aggregation::Points) {
        double earned = 0, possible = 0;
        for (const auto &o : outcomes) {
            const std::optional<double> v = value(o);
            if (!v && missing == MissingPolicy::Drop)
                continue;
            if (o.weight > 0)
                possible += o.weight;
            earned += o.weight * v.value_or(0.0);
        }
        if (possible <= 0)
            return 0;
        return std::clamp(earned / possible, 0.0, 1.0);
    }
    double num = 0, den = 0;
    for (const auto &o : outcomes) {
        const std::optional<double> v = value(o);
        if (!v && missing == MissingPolicy::Drop)
            continue;
        den += o.weight;
        num += o.weight * v.value_or(0.0);
    }
    return den == 0 ? 0 : num / den;
}

} // namespace

double reward(const std::vector<CriterionOutcome> &outcomes, Aggregation aggregation,
              MissingPolicy missing) {
    return aggregateOutcomes(outcomes, aggregation, missing, [](const CriterionOutcome &o) {
        return o.met ? std::optional<double>(*o.met ? 1.0 : 0.0) : std::nullopt;
    });
}

double softReward(const std::vector<CriterionOutcome> &outcomes, Aggregation aggregation,
                  MissingPolicy missing) {
    return aggregateOutcomes(outcomes, aggregation, missing,
                             [](const CriterionOutcome &o) { return o.p; });
}

double softReward(const std::vector<CriterionOutcome> &outcomes, const AggregationSpec &aggregation,
                  MissingPolicy missing) {
    return finishReward(softReward(outcomes, aggregation.type, missing), aggregation,
                        vetoFailed(outcomes, missing));
}

double reward(const std::vector<CriterionOutcome> &outcomes, const AggregationSpec &aggregation,
              MissingPolicy missing) {
    return finishReward(reward(outcomes, aggregation.type, missing), aggregation,
                        vetoFailed(outcomes, missing));
}

bool vetoFailed(const std::vector<CriterionOutcome> &outcomes, MissingPolicy missing) {
    for (const auto &o : outcomes)
        if (o.veto && (o.met ? !*o.met : missing == MissingPolicy::CountAsNo))
            return true;
    return false;
}

double finishReward(double base, const AggregationSpec &aggregation, bool vetoFailed) {
    double s = base;
    if (aggregation.shaping != Shaping::None) {
        s = std::clamp(s, 0.0, 1.0);
        const double k = aggregation.exponent;
        if (aggregation.shaping == Shaping::Power)
            s = std::pow(s, k);
        else if (k != 0)
            s = std::expm1(k * s) / std::expm1(k);
    }
    return vetoFailed ? std::min(s, aggregation.vetoCap) : s;
}

double holisticBase(const std::vector<int> &scores) {
    if (scores.empty())
        return 0;
    double sum = 0;
    for (const int s : scores)
        sum += s;
    return (sum / double(scores.size()) - 1.0) / 9.0;
}

double holisticReward(const std::vector<int> &scores, const std::vector<CriterionOutcome> &outcomes,
                      const AggregationSpec &aggregation, MissingPolicy missing) {
    return finishReward(holisticBase(scores), aggregation, vetoFailed(outcomes, missing));
}

std::optional<bool> majority(int yes, int no)
{
    if (yes > no)
        return true;
    if (no > yes)
        return false;
    return std::nullopt;
}

Aggregation aggregationFor(const QString &scoring)
{
    return scoring == QLatin1String("points") ? Aggregation::Points : Aggregation::WeightedSum;
}

QString missingPolicyName(MissingPolicy policy) {
    return policy == MissingPolicy::Drop ? QStringLiteral("drop") : QStringLiteral("no");
}

std::optional<MissingPolicy> missingPolicyFromName(const QString &name) {
    if (name == QLatin1String("no"))
        return MissingPolicy::CountAsNo;
    if (name == QLatin1String("drop"))
        return MissingPolicy::Drop;
    return std::nullopt;
}

} // namespace rs::judge
