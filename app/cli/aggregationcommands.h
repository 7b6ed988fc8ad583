#pragma once

#include <QStringList>

namespace rs::cli {

/// aggregation-preview PROJECT [--run ID] [--prompt ID] [--candidates SPEC;SPEC...] [--json]:
/// what each aggregation would do to the metrics and GRPO advantages (issue 16).
int runAggregationPreview(const QStringList &args);

} // namespace rs::cli
