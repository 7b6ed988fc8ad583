#pragma once

#include "common/error.h"
#include "judgeconfig.h"
#include "judgetemplate.h"

#include <QHash>
#include <QList>

#include <vector>

namespace rs::store {
class Database;
class ProjectStore;
} // namespace rs::store

namespace rs::judge {

/// One judge call to make: a response, a grading index, and the criteria still unanswered;
/// or, for a prompt whose rubric is implicit, its holistic score.
struct WorkItem final {
    qint64 responseId = 0;
    qint64 promptId = 0;
    int grading = 0;
    /// Joint mode: all missing ones; per-criterion: exactly one; holistic: the guidance.
    QList<JudgedCriterion> criteria;
    bool holistic = false;   ///< asks for one 1-10 score with `criteria` as guidance
    qint64 guidanceHash = 0; ///< holistic: what the score is stored under
};

/// What a run still has to do, and how much is done already.
struct JudgePlan final {
    qint64 runId = 0;
    std::vector<WorkItem> items;
    qint64 responses = 0;      ///< in scope (with a rubric)
    qint64 verdictsWanted = 0; ///< responses × (judged criteria + holistic score) × gradings
    qint64 verdictsDone = 0;   ///< already answered yes/no (or scored) in this run
};

/// The settings that change answers, as stored in judge_runs.params: with the provider, model,
/// mode, weights shown, gradings and template version, the identity of a run.
QString runParams(const JudgeConfig &config);

/// The run with this exact configuration, 0 when there is none (reads only: for previews).
Expected<qint64> findRun(store::Database &db, const JudgeConfig &config, const JudgeTemplate &tpl);

/// Finds the run with this exact configuration or creates it; the run id is stable, so
/// judging again with the same settings resumes or tops up that run.
Expected<qint64> findOrCreateRun(store::ProjectStore &store, const JudgeConfig &config,
                                 const JudgeTemplate &tpl);

/// Records how a run's last pass ended: running, complete (every planned call answered),
/// incomplete (some failed or were not cached) or cancelled.
Expected<void> setRunStatus(store::ProjectStore &store, qint64 runId, const QString &status);

/// Lists the calls still needed: responses in scope × gradings × criteria of each prompt's
/// current rubric version that have no yes/no verdict yet (failed ones are asked again; refused
/// ones are not: a judge that declined once declines again). A prompt whose rubric is implicit
/// gets one holistic call per response and grading with its guidance criteria (isGuidance),
/// plus its veto criteria judged as usual; a run limited to cells (a cascade) asks no holistic
/// score, since a cell names a criterion.
Expected<JudgePlan> planRun(store::Database &db, qint64 runId, const JudgeConfig &config);

} // namespace rs::judge
