#pragma once

#include "metricdata.h"

#include <vector>

namespace rs::analytics {

struct ProjectMetrics;

/// Bootstrap intervals over prompts for every headline metric of `m` (tail accuracy, top-tier
/// AUC, tie rate, spread, discrimination gap, flip rate, the style Spearmans pooled and within
/// prompt, best-of-N, run-vs-run agreement), options.bootstrap replicates seeded by
/// options.seed. All statistics are computed on the same replicates, so the run-vs-run
/// figures are a paired bootstrap. Region cuts and tier choices stay those of the full data.
/// `other` is the comparison run's verdicts, as judgeReliability had them.
void attachIntervals(ProjectMetrics &m, const MetricData &data, const MetricOptions &options,
                     const std::vector<std::vector<Verdict>> *other);

} // namespace rs::analytics
