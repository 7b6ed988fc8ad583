#pragma once

#include "common/error.h"
#include "scoring.h"

#include <QString>

#include <nlohmann/json_fwd.hpp>

namespace rs::judge {

/// Reads rubric JSONL's "aggregation": {"type": "weighted_sum" | "points", "veto_cap"?,
/// "shaping"? {"type": "power" | "exponential", "exponent"}}. "implicit" (one holistic judge
/// score) is refused with a message: the studio does not compute it yet, and guessing a
/// reward would be worse than saying so.
Expected<AggregationSpec> aggregationFromJson(const nlohmann::json &j);
/// The canonical form a version stores and a pack carries: sorted keys, veto_cap always,
/// shaping only when set.
nlohmann::json aggregationToJson(const AggregationSpec &spec);
QString aggregationToText(const AggregationSpec &spec);
/// A stored version's aggregation; empty text is the plain formula of `scoring`. Stored text
/// that no longer parses falls back to the same, so scores never fail on it.
AggregationSpec aggregationFromText(const QString &text, const QString &scoring);
/// "weighted_sum", "points": the names rubric JSONL uses.
QString aggregationTypeName(Aggregation type);
/// One line for a diff or a tooltip: "weighted_sum · veto cap 0.2 · power 2".
QString aggregationSummary(const AggregationSpec &spec);

} // namespace rs::judge
