#pragma once

#include "common/error.h"
#include "scoring.h"

#include <QString>

#include <nlohmann/json_fwd.hpp>

namespace rs::judge {

/// Reads rubric JSONL's "aggregation": {"type": "weighted_sum" | "points" | "implicit",
/// "veto_cap"?, "shaping"? {"type": "power" | "exponential", "exponent"}}. "implicit" is one
/// holistic 1–10 judge score with the rubric as guidance (see Aggregation::Implicit).
Expected<AggregationSpec> aggregationFromJson(const nlohmann::json &j);
/// The canonical form a version stores and a pack carries: sorted keys, veto_cap always,
/// shaping only when set.
nlohmann::json aggregationToJson(const AggregationSpec &spec);
QString aggregationToText(const AggregationSpec &spec);
/// A stored version's aggregation; empty text is the plain formula of `scoring`. Stored text
/// that no longer parses falls back to the same, so scores never fail on it. The type is the
/// scoring's formula unless the version is implicit.
AggregationSpec aggregationFromText(const QString &text, const QString &scoring);
/// Whether a stored aggregation text is implicit (cheap for the usual plain ones).
bool isImplicitAggregation(const QString &text);
/// "weighted_sum", "points", "implicit": the names rubric JSONL uses.
QString aggregationTypeName(Aggregation type);
/// One line for a diff or a tooltip: "weighted_sum · veto cap 0.2 · power 2".
QString aggregationSummary(const AggregationSpec &spec);

} // namespace rs::judge
