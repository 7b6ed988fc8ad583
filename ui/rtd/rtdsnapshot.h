#pragma once

#include "authoring/rtdrounds.h"
#include "common/error.h"
#include "domain/records.h"

#include <QHash>
#include <QList>
#include <QString>

namespace rs::store {
class Database;
}

namespace rs::ui {

/// The round in focus: its pair, the judge run and rubric version that scored them, and the
/// version the round saved (0 for a proposal still waiting).
struct RtdFocus {
    qint64 responseA = 0, responseB = 0;
    qint64 judgeRun = 0;
    qint64 rubricVersion = 0;
    double scoreA = 0, scoreB = 0;
    qint64 savedVersion = 0;
};

/// What the RTD tab shows of one prompt, read on a worker.
struct RtdSnapshot {
    qint64 promptId = 0;
    QString promptText;
    int series = 0;
    int pool = 0; ///< unused responses in the current series
    QList<authoring::RtdRound> rounds;
    QHash<qint64, QString> generators;
    QHash<qint64, int> versionNumbers; ///< version id → its number in the rubric (v1, v2, ...)
    qint64 shownA = 0, shownB = 0;
    QString textA, textB;
    QString captionA, captionB;
    QString verdictsA, verdictsB; ///< "c1 ✓ · c2 ✗ …" under the round's rubric
    /// The saved round in focus (none while a proposal waits): the rubric before and
    /// after it, and the proposer's note on why.
    int savedRound = 0;
    qint64 savedVersion = 0;
    QList<CriterionRecord> before, after;
    QString note;
};

/// Reads the snapshot of `promptId` (no focus: its last round's pair).
Expected<RtdSnapshot> readRtdSnapshot(store::Database &db, qint64 promptId, RtdFocus focus,
                                      bool proposalWaiting);

} // namespace rs::ui
