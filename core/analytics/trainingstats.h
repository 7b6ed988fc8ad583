#pragma once

#include "common/error.h"
#include "metricoptions.h"

#include <QString>

#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

namespace rs::store {
class Database;
}

namespace rs::analytics {

/// What `training` and the Training tab read from the served-rewards log.
struct TrainingStatsOptions final {
    int topK = 3;                ///< top-rewarded responses kept per step
    int excerptChars = 200;      ///< characters of each top response kept
    double saturatedHigh = 0.95; ///< a pass rate at or above this is saturated
    double saturatedLow = 0.05;  ///< ... and so is one at or below this
};

/// One criterion (of one prompt's rubric) over a step's served rewards. The pass rate is the
/// share of "yes" verdicts (the criterion met as written) among the yes/no verdicts; ties and
/// missing votes do not count.
struct CriterionPassRate final {
    qint64 promptId = 0;
    QString stableId;
    QString text; ///< from the newest rubric version that served it
    double weight = 1;
    qint64 yes = 0;
    qint64 judged = 0; ///< yes + no
    double passRate = 0;
    bool saturated = false; ///< passRate >= saturatedHigh or <= saturatedLow: no signal left
    /// The pass rate minus the pass rate at the first step that judged this criterion: what
    /// the policy gained (or lost) on it since; nullopt at that first step.
    std::optional<double> changeSinceFirst;
};

/// One of the top-rewarded responses of a step.
struct TopResponse final {
    qint64 servedId = 0;   ///< served_rewards.id
    qint64 responseId = 0; ///< 0 when the response text was not stored
    qint64 promptId = 0;
    double reward = 0;
    qint64 length = 0; ///< characters
    QString excerpt;   ///< the first excerptChars characters
};

/// The served rewards of one training step.
struct StepStats final {
    qint64 step = 0;
    qint64 rewarded = 0; ///< status ok: the rewards below are over these
    qint64 failed = 0;
    qint64 unknownPrompt = 0;
    double meanReward = 0;
    double p10 = 0;
    double p50 = 0;
    double p90 = 0;
    double meanChars = 0;      ///< response length in characters (the stored text, else its bytes)
    double meanWords = 0;      ///< whitespace-separated words, over responses with stored text
    double formattedShare = 0; ///< share with a Markdown header or list item
    std::optional<Correlation> rewardLength; ///< Spearman of reward and length in characters
    std::vector<CriterionPassRate> criteria; ///< by prompt id, then criterion position
    qint64 saturatedCriteria = 0;
    std::vector<TopResponse> top; ///< highest reward first (ties: earliest served)
};

struct TrainingStats final {
    std::vector<StepStats> steps; ///< ascending step
    qint64 withoutStep = 0;       ///< served rewards whose request named no step (not in steps)
    qint64 total = 0;             ///< every served_rewards row
};

/// One criterion's pass rate at one step.
struct PassRatePoint final {
    qint64 step = 0;
    double passRate = 0;
    qint64 judged = 0;
};

/// A criterion's pass rate at every step that judged it, in step order: the curve that shows a
/// criterion climbing to saturation while the policy learns to meet it (or to look as if it
/// did). Steps where it had no yes/no verdict are left out, not drawn as 0.
std::vector<PassRatePoint> passRateTrend(const std::vector<StepStats> &steps, qint64 promptId,
                                         const QString &stableId);

/// Reads the served-rewards log (a read-only connection is enough) into per-step statistics.
Expected<TrainingStats> loadTrainingStats(store::Database &db,
                                          const TrainingStatsOptions &options = {});

/// The JSON form `training --json` prints.
nlohmann::json toJson(const TrainingStats &stats);

} // namespace rs::analytics
