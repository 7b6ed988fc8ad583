#pragma once

#include "common/error.h"
#include "scoring.h"

#include <QList>
#include <QString>

namespace rs::store {
class Database;
}

namespace rs::judge {

enum class CellState { Pending, Yes, No, Failed, OverriddenYes, OverriddenNo, Refused };

/// One response × criterion cell of the heatmap.
struct GridCell final {
    CellState state = CellState::Pending;
    int yesVotes = 0;
    int noVotes = 0;
    int failedVotes = 0;
    int refusedVotes = 0;  ///< the judge declined to grade (not failed, not asked again)
    double pYes = -1;      ///< the judge's P(yes) (token probabilities or vote share); < 0: none
    int pYesVotes = 0;     ///< votes that carried token probabilities (probability mode)
    QString rationale;     ///< the judge's reason (first grading that gave one)
    qint64 callId = 0;     ///< the judge call behind the verdict, for the raw answer
    qint64 overrideId = 0; ///< the live override, 0 when none
    QString overrideNote;
};

struct GridCriterion final {
    QString stableId;
    QString text;
    double weight = 1;
    qint64 hash = 0;
    bool guidance = false; ///< an implicit rubric's guidance: no verdict of its own
};

struct GridRow final {
    qint64 responseId = 0;
    QString generator;
    QString tier;
    qint64 length = 0;
    double reward = 0;
    double rewardSoft = 0; ///< every criterion counted by its P(yes)
    int rank = 0;        ///< 1-based; equal rewards share a rank
    bool tiedAtTop = false; ///< shares the best reward with another response
    QList<GridCell> cells;  ///< one per criterion, in rubric order
    /// Implicit rubric: the mean of the gradings' holistic 1-10 scores (-1: none yet), how many
    /// gradings gave one, the first grading's explanation (or why it has no score).
    double holisticScore = -1;
    int holisticScores = 0;
    QString holisticRationale;
    qint64 holisticCallId = 0;
};

/// The prompt's responses × criteria under one run: what the Responses view shows.
struct VerdictGrid final {
    qint64 promptId = 0;
    qint64 runId = 0;
    qint64 rubricId = 0;
    QString scoring;
    bool implicit = false; ///< the rubric's aggregation is one holistic judge score
    QList<GridCriterion> criteria;
    QList<GridRow> rows; ///< ranked by reward, best first
};

Expected<VerdictGrid> loadVerdictGrid(store::Database &db, qint64 promptId, qint64 runId,
                                      MissingPolicy missing = MissingPolicy::CountAsNo);

/// Details of one judge call for the inspector.
struct CallDetail final {
    QString raw;
    QString error;
    int attempts = 0;
    bool cached = false;
    qint64 tokensIn = 0;
    qint64 tokensOut = 0;
    double costUsd = 0;
    double temperature = 0;
};
Expected<CallDetail> loadCall(store::Database &db, qint64 callId);

struct RunInfo final {
    qint64 id = 0;
    QString name;
    QString status;
    qint64 verdicts = 0;
};
Expected<QList<RunInfo>> listRuns(store::Database &db);

} // namespace rs::judge
