#pragma once

#include "metricdata.h"
#include "rubric/preferenceagreement.h"

#include <vector>

namespace rs::analytics {

/// How often one criterion reproduces the gold preferences of its prompt: over every gold pair
/// with a winner (preference ≠ 0.5), whether the criterion passes the preferred response and
/// fails the other (agree), the reverse (contradict), or neither (neutral). The contrastive
/// generator's consistency filter asks the same question of candidate criteria.
struct CriterionGoldAgreement final {
    qint64 promptId = 0;
    QString stableId;
    QString text;
    rubric::PreferenceTally tally;
};

/// Every criterion of every current rubric whose prompt has at least one decided gold pair, in
/// prompt and rubric order. Verdicts are what scores use (overrides included).
std::vector<CriterionGoldAgreement> criterionGoldAgreement(const MetricData &data);

} // namespace rs::analytics
