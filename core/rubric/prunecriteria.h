#pragma once

#include "common/error.h"
#include "deadcriteria.h"
#include "domain/records.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace rs::store {
class Database;
class ProjectStore;
} // namespace rs::store

namespace rs::rubric {

/// What happened to one prompt of a prune.
struct PruneOutcome final {
    qint64 promptId = 0;
    qint64 versionId = 0; ///< the new version; 0 when nothing was saved
    QStringList removed;  ///< stable ids taken out
    QString note;         ///< why nothing was saved (refused, or already pruned)
};

struct PruneSummary final {
    int prompts = 0; ///< prompts in the selection
    int pruned = 0;  ///< new versions saved
    int removed = 0; ///< criteria taken out
    int refused = 0; ///< prompts whose rubric would have been left empty
    int skipped = 0; ///< prompts whose picked criteria are no longer in the current rubric
    QList<PruneOutcome> outcomes; ///< one per prompt, by prompt id
};

/// `selection` by prompt, in prompt id order.
QMap<qint64, QList<DeadCriterion>> groupByPrompt(const QList<DeadCriterion> &selection);
/// The picked criteria still in the prompt's current rubric `head`: same stable id and same
/// text (a criterion edited since it was listed is not the one that was dead).
QList<DeadCriterion> stillInHead(const QList<DeadCriterion> &picked,
                                 const QList<CriterionRecord> &head);

/// The "why" stored with a version made from dead criteria: the reason, the run, the top they
/// were dead under and, under `key` ("removed", "rewritten"), each criterion's id, text, which
/// way it is dead and over how many top responses.
QJsonObject deadDetail(const QString &key, const QList<DeadCriterion> &criteria, qint64 runId,
                       const TopSelection &top);

/// Saves, per prompt of `selection`, a new version of its current rubric without the picked
/// criteria (origin "prune"; the detail names them and why they are dead, with the run and the
/// top they were dead under). A prompt whose rubric would be left empty is refused, nothing
/// saved for it. Idempotent: criteria no longer in the current rubric (pruned already, or
/// edited since) are skipped, so running the same selection again saves nothing.
Expected<PruneSummary> pruneCriteria(store::ProjectStore &store,
                                     const QList<DeadCriterion> &selection, qint64 runId,
                                     const TopSelection &top);

} // namespace rs::rubric
