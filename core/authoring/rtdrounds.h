#pragma once

#include "common/error.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace rs::store {
class Database;
class ProjectStore;
} // namespace rs::store

namespace rs::authoring {

/// One completed RTD round, as kept in rtd_rounds (and in the origin detail of the version it
/// made, from which a row lost to a crash between the two writes is rebuilt).
struct RtdRound final {
    qint64 id = 0;
    qint64 promptId = 0;
    int series = 1;
    int round = 1;         ///< 1-based within the series
    QString selection;     ///< top2 / tied / manual
    qint64 responseA = 0;
    qint64 responseB = 0;
    double scoreA = 0;
    double scoreB = 0;
    double topScore = 0;
    int tiesAtTop = 0;
    int poolSize = 0;      ///< responses in the pool when the pair was chosen
    qint64 judgeRunId = 0;
    qint64 previousVersionId = 0;
    qint64 versionId = 0;
    QString createdAt;

    QJsonObject toDetail() const; ///< the version's origin detail (plus model fields added by the runner)
    static RtdRound fromDetail(qint64 promptId, qint64 versionId, const QJsonObject &detail);
};

/// Inserts a round on the writer's connection (inside a writer job).
Expected<void> insertRound(store::Database &db, const RtdRound &round);

/// The prompt's rounds, oldest first; series 0: every series.
Expected<QList<RtdRound>> listRounds(store::Database &db, qint64 promptId, int series = 0);

/// Rebuilds rtd_rounds rows for versions with origin "rtd" that have none (a kill between
/// saving the version and the round); returns how many were rebuilt.
Expected<int> recoverRounds(store::ProjectStore &store);

} // namespace rs::authoring
