#pragma once

#include "agreement.h"
#include "bestofn.h"
#include "common/error.h"
#include "goldagreement.h"
#include "metricdata.h"
#include "reliability.h"
#include "separation.h"
#include "styleconfound.h"
#include "tailaccuracy.h"
#include "timeline.h"
#include "trainingcurves.h"

#include <functional>
#include <vector>

namespace rs::store {
class Database;
}

namespace rs::analytics {

/// Every project-level metric at once: what `metrics --json` prints and the charts show.
struct ProjectMetrics final {
    qint64 runId = 0;
    int gradings = 0;
    qint64 responses = 0;
    qint64 scoredResponses = 0;
    qint64 goldPairs = 0;
    TailAccuracy tail;
    TopTierSeparation separation;
    std::vector<CriterionDiscrimination> discrimination;
    std::optional<Estimate> discriminationGap;
    std::vector<CriterionGoldAgreement> goldAgreement; ///< criteria against gold preferences
    StyleConfound style;
    JudgeReliability reliability;
    HumanAgreement agreement;
    std::vector<BestOfNPoint> bestOfN;
    std::vector<TrainingCurve> curves;
    RefinementTimeline timeline;
};

/// Called between stages with (stage done, stages); returning false cancels (the result is
/// then an error saying so).
using MetricsProgressFn = std::function<bool(int done, int total)>;

/// Loads once and computes every metric. Long on big projects: call it off the GUI thread
/// with its own read-only connection. `responses`, when given, receives the loaded responses
/// (the charts plot them).
Expected<ProjectMetrics> computeProjectMetrics(store::Database &db, const MetricOptions &options,
                                               const MetricsProgressFn &progress = {},
                                               std::vector<ResponseFacts> *responses = nullptr);

/// The defaults name the paper's tiers (excellent vs great); a project tagged otherwise
/// (great/good/base) compares its own best two tiers instead of showing nothing. Leaves
/// `options` as it is when the project uses tier A, or has fewer than two known tiers.
Expected<void> adaptTiersToProject(store::Database &db, MetricOptions &options);

} // namespace rs::analytics
