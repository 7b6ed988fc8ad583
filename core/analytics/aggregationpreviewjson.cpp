#include "aggregationpreviewjson.h"

#include "judge/aggregationjson.h"
#include "metricsjson.h"

#include <cmath>

namespace rs::analytics {
namespace {

using nlohmann::json;

json jsonNumber(double v) {
    return std::isfinite(v) ? json(v) : json(nullptr);
}

json responsesJson(const std::vector<ResponseOutcome> &rows) {
    json out = json::array();
    for (const ResponseOutcome &r : rows)
        out.push_back(json{{"response_id", r.responseId},
                           {"generator", r.generator.toStdString()},
                           {"tier", r.tier.toStdString()},
                           {"top_tier", r.topTier},
                           {"reward", jsonNumber(r.reward)},
                           {"reward_soft", jsonNumber(r.softReward)},
                           {"advantage", jsonNumber(r.advantage)}});
    return out;
}

} // namespace

json toJson(const AggregationPreview &p) {
    json candidates = json::array();
    for (const CandidatePreview &c : p.candidates) {
        json j{{"name", c.candidate.name.toStdString()},
               {"aggregation",
                c.candidate.spec ? judge::aggregationToJson(*c.candidate.spec) : json(nullptr)},
               {"top_tier_auc", toJson(c.auc)},
               {"top_tie_rate", toJson(c.topTieRate)},
               {"tail_accuracy", toJson(c.tailAccuracy)},
               {"tail_accuracy_high", toJson(c.tailHigh)},
               {"groups", c.groups},
               {"zero_spread_groups", c.zeroSpreadGroups},
               {"zero_spread_share", toJson(c.zeroSpreadShare)},
               {"advantage_gap", toJson(c.advantageGap)}};
        if (p.promptId)
            j["prompt_responses"] = responsesJson(c.prompt);
        candidates.push_back(std::move(j));
    }
    return json{{"run_id", p.runId},
                {"prompt_id", p.promptId ? json(p.promptId) : json(nullptr)},
                {"tier_a", p.tierA.toStdString()},
                {"tier_b", p.tierB.toStdString()},
                {"scored_responses", p.scoredResponses},
                {"gold_pairs", p.goldPairs},
                {"current",
                 p.currentSummary.isEmpty() ? json(nullptr) : json(p.currentSummary.toStdString())},
                {"candidates", candidates}};
}

} // namespace rs::analytics
