#pragma once

#include "projectmetrics.h"
#include "theory.h"

#include <nlohmann/json.hpp>

namespace rs::analytics {

/// The JSON form `metrics --json` prints. Scalar metrics are {"value": v, "n": n} (and "rho",
/// "p" for correlations) or null where the data does not allow them.
nlohmann::json toJson(const ProjectMetrics &metrics, const MetricOptions &options);

/// One estimate as every metric prints it: {"value", "n", "ci_low", "ci_high"}, or null.
nlohmann::json toJson(const std::optional<Estimate> &estimate);

/// The JSON form `theory --json` prints.
nlohmann::json toJson(const TheoryCurve &curve);

} // namespace rs::analytics
