#pragma once

#include "analytics/metricoptions.h"
#include "common/error.h"

#include <cstdint>
#include <optional>

namespace rs::store {
class Database;
class ProjectStore;
} // namespace rs::store

namespace rs::labels {

struct AttachOptions final {
    qint64 runId = 0;        ///< whose verdicts decide what a correction is; 0: the latest
    int perCriterion = 2;    ///< examples a criterion carries at most
    double holdout = 0.5;    ///< share of disagreeing cells never attached, so κ can be measured
    std::uint64_t seed = 1;  ///< which cells those are
};

struct AttachResult final {
    int attached = 0;      ///< new examples
    int criteria = 0;      ///< criteria that received one
    qint64 heldOut = 0;    ///< labelled cells (human majority) not shown to the judge
};

/// Few-shot from corrections: attaches to each criterion up to perCriterion cells where the
/// human majority disagrees with the run's judge, as examples the judge prompt shows under the
/// criterion. A seeded share of the disagreements (holdout) is never attached, so judge-vs-human
/// kappa can be compared on cells the judge was not shown: judge again (the template version
/// changes with the examples, so a new run is made and no cached answer is reused), then
/// compareOnHeldOut. Attaching again adds to what is there; detachAll removes every example.
Expected<AttachResult> attachCorrections(store::ProjectStore &store, store::Database &db,
                                         const AttachOptions &options);
Expected<int> detachAll(store::ProjectStore &store);

/// Judge-vs-human kappa of two runs on the same held-out cells (labelled, not examples, with a
/// verdict in both runs), with intervals and the paired difference (after - before).
struct HeldOutComparison final {
    analytics::Estimate before;
    analytics::Estimate after;
    analytics::Estimate difference;
};
Expected<HeldOutComparison> compareOnHeldOut(store::Database &db, qint64 beforeRun,
                                             qint64 afterRun, int bootstrap, std::uint64_t seed);

} // namespace rs::labels
