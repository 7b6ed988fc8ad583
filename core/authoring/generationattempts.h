#pragma once

#include "common/error.h"

#include <QList>
#include <QString>

#include <vector>

namespace rs::store {
class Database;
class ProjectStore;
} // namespace rs::store

namespace rs::authoring {

/// One proposer answer asked for a rubric, as kept in generation_attempts.
struct GenerationAttempt final {
    qint64 id = 0;
    qint64 promptId = 0;
    QString kind = QStringLiteral("generation"); ///< "generation" or "rtd"
    QString status;                              ///< "ok", "repaired" or "failed"
    QString model;
    QString templateVersion;
    QString raw;        ///< the proposer's answer as received
    QString repairModel;
    QString repairRaw;  ///< the repair call's answer, when one was made
    QString error;      ///< why the answer could not be used (failed, or before a repair)
    qint64 versionId = 0;
    qint64 tokensIn = 0;
    qint64 tokensOut = 0;
    double costUsd = 0;
    QString createdAt;
};

/// Appends attempts in one write.
Expected<void> storeAttempts(store::ProjectStore &store, const std::vector<GenerationAttempt> &attempts);

/// The prompt's attempts, newest first.
Expected<QList<GenerationAttempt>> listAttempts(store::Database &db, qint64 promptId);

/// Prompts whose latest generation attempt failed and that have no generated version since:
/// what --retry-failed asks again.
Expected<QList<qint64>> promptsWithFailedGeneration(store::Database &db);

} // namespace rs::authoring
