#pragma once

#include "metricdata.h"

#include <QString>

#include <optional>
#include <vector>

namespace rs::analytics {

/// The epsilon added to the group's standard deviation, as in most GRPO implementations.
inline constexpr double kAdvantageEpsilon = 1e-6;

/// The group-normalised advantages a GRPO step computes from one prompt's rewards:
/// A_i = (r_i - mean) / (std + kAdvantageEpsilon), with the population standard deviation
/// (divided by n). TRL's GRPOTrainer divides by n - 1 instead (torch.std) and adds 1e-4: its
/// advantages are these times sqrt((n - 1) / n), up to epsilon. The factor is the same for
/// every aggregation compared on the same groups, and neither the sign of an advantage, nor
/// the order, nor which groups are all zero depends on it. A group whose rewards are all
/// equal gets all zeros: it teaches the policy nothing.
std::vector<double> groupAdvantages(const std::vector<double> &rewards);

/// What a GRPO step would learn from a project's rewards, one group per prompt.
struct AdvantageSummary final {
    /// Prompts with at least two scored responses (a one-response group has no spread).
    qint64 groups = 0;
    /// Of those, groups whose rewards are all equal: every advantage 0, no learning signal.
    qint64 zeroSpreadGroups = 0;
    std::optional<Estimate> zeroSpreadShare; ///< zeroSpreadGroups / groups
    /// Mean over groups holding both top-tier and other responses of (mean advantage of the
    /// top tier - mean advantage of the rest): how hard the step pushes towards the best
    /// responses. Positive is the right direction; 0 is no push.
    std::optional<Estimate> advantageGap;
};

/// Groups data's scored responses by prompt and summarises their advantages under their
/// current `reward`; `topTier` names the top tier (case-insensitive, as top-tier AUC's tier A).
AdvantageSummary advantageSummary(const MetricData &data, const QString &topTier);

} // namespace rs::analytics
