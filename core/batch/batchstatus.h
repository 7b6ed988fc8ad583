#pragma once

#include "common/error.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace rs::store {
class Database;
}

namespace rs::batch {

/// One batch written by exportJudgeBatch, and how many of its requests have come back.
struct BatchJobStatus final {
    qint64 batchId = 0;
    QString jobKind;  ///< "judge"
    QString format;   ///< "openai" / "anthropic"
    qint64 runId = 0; ///< the judge run its answers go to; 0 when that run was deleted
    QStringList files;
    qint64 requests = 0;
    qint64 answered = 0;
    qint64 failed = 0;
    QString createdAt; ///< ISO 8601, UTC

    qint64 waiting() const { return requests - answered - failed; }
};

/// Every batch of the project, oldest first (what `batch-status` prints).
Expected<QList<BatchJobStatus>> listBatchJobs(store::Database &db);

} // namespace rs::batch
