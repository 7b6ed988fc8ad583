#pragma once

#include "aggregationpreview.h"

#include <nlohmann/json.hpp>

namespace rs::analytics {

/// The JSON form `aggregation-preview --json` prints: run_id, prompt_id (null when none was
/// asked), tier_a, tier_b, scored_responses, gold_pairs, current (the stored aggregation's
/// summary, null when rubrics differ) and candidates, each with name, aggregation (the rubric
/// JSONL object; null for "current"), top_tier_auc, top_tie_rate, tail_accuracy,
/// tail_accuracy_high (estimates as `metrics --json` prints them), groups, zero_spread_groups,
/// zero_spread_share, advantage_gap and prompt_responses (response_id, generator, tier,
/// top_tier, reward, reward_soft, advantage).
nlohmann::json toJson(const AggregationPreview &preview);

} // namespace rs::analytics
