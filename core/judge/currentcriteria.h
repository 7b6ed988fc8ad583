#pragma once

#include "common/error.h"

#include <QString>

#include <functional>
#include <optional>

namespace rs::store {
class Database;
}

namespace rs::judge {

/// One criterion of a prompt's current rubric (the head version of its first rubric).
struct CurrentCriterion final {
    qint64 promptId = 0;
    qint64 rubricId = 0;
    QString promptText;
    QString scoring;
    QString stableId;
    QString text;
    double weight = 0;
    QString checkJson; ///< canonical check; empty: the judge decides this criterion
    bool veto = false;
    QString aggregation; ///< the version's aggregation JSON; empty: plain `scoring`
};

/// Calls `visit` for every criterion of every prompt's current rubric (or only `promptId`'s),
/// by prompt and position. Judge plans, scores, analytics, the verdict grid and verdict
/// export/import all read rubrics through this, so they agree on what "current" means.
Expected<void> forEachCurrentCriterion(store::Database &db,
                                       const std::function<void(const CurrentCriterion &)> &visit,
                                       std::optional<qint64> promptId = {});

/// The judge run a reader works on and the settings that shape its verdicts.
struct RunSettings final {
    qint64 id = 0; ///< 0: the project has no judge run
    bool showWeights = false;
    bool perCriterion = false;
    int gradings = 1;
};

/// Run `runId`, or the latest run when it is 0; an error when `runId` names no run.
Expected<RunSettings> resolveRun(store::Database &db, qint64 runId);

} // namespace rs::judge
