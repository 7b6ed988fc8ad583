#pragma once

#include "common/error.h"
#include "domain/records.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace rs::store {
class Database;
class ProjectStore;
} // namespace rs::store

namespace rs::rubric {

/// One criterion of a version about to be saved.
struct CriterionDraft final {
    QString stableId; ///< empty: saveVersion assigns a new stable id
    QString text;
    double weight = 1; ///< weight (weights scoring) or points (points scoring)
    QString category;
    QStringList tags;
    QString checkJson; ///< canonical check; empty for a judged criterion
    bool veto = false;
};

/// What produced a version, stored with it so its lineage can be read back.
struct VersionOrigin final {
    QString kind;       ///< "manual" | "generation" | "rtd" | "import" | "restore" | "prune" |
                        ///< "prune-rewrite"
    QJsonObject detail; ///< e.g. model, template version, round k, pair ids and scores
};

struct VersionInfo final {
    qint64 id = 0;
    qint64 rubricId = 0;
    qint64 parentId = 0; ///< 0 for the first version
    QString origin;
    QJsonObject detail;
    QString tag;
    QString createdAt; ///< ISO 8601, UTC
    int criteria = 0;
};

/// Saves a new version of the prompt's rubric (creating the rubric, scoring "weights", if the
/// prompt has none) with parent = the current head unless given, and makes it the head.
/// Criteria keep their stable ids; empty ids get fresh ones unique within the rubric
/// (c1, c2, ...; a removed id is never reused). The aggregation (canonical JSON, "" for the
/// plain formula) is the parent's unless given, so generation and RTD keep it. Durable on
/// return; returns the version id.
Expected<qint64> saveVersion(store::ProjectStore &store, qint64 promptId,
                             const VersionOrigin &origin, const QList<CriterionDraft> &criteria,
                             qint64 parentVersionId = 0,
                             const std::optional<QString> &aggregation = std::nullopt);
/// Every version of the prompt's rubric, oldest first; empty when it has none.
Expected<QList<VersionInfo>> listVersions(store::Database &db, qint64 promptId);
/// One version's criteria in order, with its rubric's name and scoring.
Expected<RubricRecord> loadVersion(store::Database &db, qint64 versionId);
/// The prompt's current version; a record with versionId 0 when the prompt has no rubric.
Expected<RubricRecord> loadHead(store::Database &db, qint64 promptId);
/// Makes a copy of an old version the new head (origin "restore", parent = the old head), so
/// history only ever grows. Returns the new version id.
Expected<qint64> restoreVersion(store::ProjectStore &store, qint64 versionId);
/// Names a version ("baseline", "sent to training"); an empty tag clears it.
Expected<void> setVersionTag(store::ProjectStore &store, qint64 versionId, const QString &tag);

/// A criterion's content hash: text, weight and category, plus its check and veto flag when it
/// has them (so older criteria keep their hashes). The import computes the same bytes
/// (import::criterionContentKey), so a criterion saved here and one imported with equal
/// content hash alike.
qint64 criterionContentHash(const QString &text, double weight, const QString &category,
                            const QString &checkJson = {}, bool veto = false);

/// Drafts from a stored version, ids kept (the editor's starting point).
QList<CriterionDraft> toDrafts(const QList<CriterionRecord> &criteria);

} // namespace rs::rubric
