#pragma once

#include "common/error.h"
#include "preferenceagreement.h"

#include <QList>
#include <QMap>
#include <QString>

namespace rs::store {
class Database;
}

namespace rs::rubric {

struct TierRate final {
    int yes = 0;
    int judged = 0; ///< responses with a verdict (override, check or majority; a tie is none)
    double rate() const { return judged ? double(yes) / judged : 0.0; }
};

/// How one criterion of the prompt's current rubric behaved under a judge run.
struct CriterionStats final {
    QString stableId;
    QString text; ///< the text that was judged; stats do not apply to an edited text
    QMap<QString, TierRate> byTier; ///< tier ("" for responses without one) -> yes-rate
    TierRate overall;
    int topJudged = 0; ///< judged responses among the top k
    int topYes = 0;
    /// Every judged top response passes, or every one fails: the criterion cannot tell the
    /// best responses apart (rubric::deadWay, the rule the project-wide list uses too).
    bool dead = false;
    /// Against the prompt's gold preferences (those with a winner): the same count as
    /// metrics' criterion_gold_agreement.
    PreferenceTally gold;
};

struct RubricStats final {
    qint64 runId = 0;               ///< 0 when the project has no judge run
    int topK = 0;                   ///< how many top responses were considered
    QList<CriterionStats> criteria; ///< in rubric order
    const CriterionStats *find(const QString &stableId) const;
};

/// Per-criterion yes-rate by tier and the dead flag over the top-k responses by reward, for
/// the prompt's current rubric under `runId` (0: the most recent run). A criterion needs at
/// least two judged top responses to be called dead. Read through the VerdictTally, ranked and
/// judged exactly as rubric::deadCriteria does for the whole project. Also each criterion's
/// agreement with the prompt's gold preferences.
Expected<RubricStats> criterionStats(store::Database &db, qint64 promptId, qint64 runId = 0,
                                     int topK = 5);

} // namespace rs::rubric
