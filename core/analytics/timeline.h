#pragma once

#include "common/error.h"
#include "metricdata.h"

#include <optional>
#include <vector>

namespace rs::store {
class Database;
}

namespace rs::analytics {

/// One RTD round of one prompt's rubric (a rubric version with origin "rtd").
struct RtdRoundStats final {
    qint64 promptId = 0;
    qint64 rubricId = 0;
    qint64 versionId = 0;
    int round = 0;
    qint64 pairA = 0; ///< the pair of responses that drove the rewrite; 0 when unknown
    qint64 pairB = 0;
    std::optional<double> topScore;
    std::optional<double> topKSpread;
    std::optional<bool> tiedAtTop;
    std::optional<Estimate> tailAccuracy; ///< over this prompt's gold pairs both scored
};

/// Averages over prompts for one round number.
struct RoundSummary final {
    int round = 0;
    qint64 prompts = 0;
    std::optional<double> meanTopScore;
    std::optional<double> meanTopKSpread;
    std::optional<Estimate> tieRate;
    std::optional<Estimate> tailAccuracy;
};

struct RefinementTimeline final {
    std::vector<RtdRoundStats> rounds; ///< by prompt, then round
    std::vector<RoundSummary> summary; ///< by round
};

/// Refinement timeline from rubric versions with origin "rtd" and their origin_detail
/// ({"round": R, "pair": [A, B], "scores": {"<response id>": reward, ...}}); the scores a
/// round recorded are the rewards it ranked by. Empty when the project has no RTD versions.
/// `data` supplies the gold pairs for per-round tail accuracy.
Expected<RefinementTimeline> refinementTimeline(store::Database &db, const MetricData &data,
                                                const MetricOptions &options);

} // namespace rs::analytics
