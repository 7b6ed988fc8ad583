#pragma once

#include "metricdata.h"

#include <QString>

#include <optional>
#include <vector>

namespace rs::analytics {

/// The top-k responses of one prompt by reward.
struct TopKGroup final {
    qint64 promptId = 0;
    std::vector<qint64> responseIds; ///< best first
    std::vector<double> rewards;
    double spread = 0;      ///< best minus k-th reward
    bool tiedAtTop = false; ///< the two best share a reward
};

/// A criterion that does not discriminate among a prompt's top-k: all pass or all fail.
struct DeadCriterion final {
    qint64 promptId = 0;
    QString stableId;
    QString text;
    bool allPass = false;
};

struct TopTierSeparation final {
    std::optional<Estimate> auc; ///< P(reward of tier A > tier B), same-prompt pairs, ties 1/2
    std::optional<Estimate> pooledAuc;  ///< the same over all responses of the two tiers
    std::optional<Estimate> tieRate;    ///< share of prompts whose two best share a reward
    std::optional<Estimate> meanSpread; ///< mean top-k spread over prompts
    qint64 deadCriteria = 0;
    qint64 criteriaExamined = 0;
    std::vector<TopKGroup> groups;
    std::vector<DeadCriterion> dead;
    /// Per prompt with both tiers: Σ U (AUC times pairs) and the pairs, for the bootstrap.
    struct PromptAuc final {
        qint64 promptId = 0;
        double u = 0;
        qint64 pairs = 0;
    };
    std::vector<PromptAuc> promptAuc;
};

TopTierSeparation topTierSeparation(const MetricData &data, const MetricOptions &options);

/// Yes-rate of one criterion in one tier.
struct TierRate final {
    QString tier;
    double yesRate = 0;
    qint64 n = 0;
};

struct CriterionDiscrimination final {
    qint64 promptId = 0;
    QString stableId;
    QString text;
    std::vector<TierRate> tiers; ///< every tier with judged responses, by name
    std::optional<double> gap;   ///< yes-rate in tierA minus in tierB
};

/// Per-criterion discrimination over every criterion of every current rubric.
std::vector<CriterionDiscrimination> criterionDiscrimination(const MetricData &data,
                                                             const MetricOptions &options);

/// Mean gap over criteria where both tiers were judged (the project-level summary).
std::optional<Estimate> meanDiscriminationGap(const std::vector<CriterionDiscrimination> &rows);

} // namespace rs::analytics
