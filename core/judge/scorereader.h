#pragma once

#include "common/error.h"
#include "scoring.h"

#include <QString>

#include <optional>
#include <vector>

namespace rs::store {
class Database;
}

namespace rs::judge {

struct ResponseScore final {
    qint64 responseId = 0;
    qint64 promptId = 0;
    QString generator;
    QString tier;
    double reward = 0;
    double rewardSoft = 0; ///< every criterion counted by its P(yes)
    int criteria =
        0; ///< in the prompt's current rubric; implicit: the holistic score + vetoes + checks
    int judged = 0;   ///< criteria with a yes/no (majority) verdict or an override
    int failed = 0;   ///< criteria whose verdict failed
    int refused = 0;  ///< criteria the judge refused to grade
    int overridden = 0;
    /// Implicit rubric: the mean of the gradings' holistic 1-10 scores; nullopt otherwise or
    /// without a usable score.
    std::optional<double> holisticScore;
    bool implicit = false;
};

struct ScoreOptions final {
    qint64 runId = 0; ///< 0: the most recent run
    MissingPolicy missing = MissingPolicy::CountAsNo;
    std::optional<qint64> promptId; ///< only this prompt's responses
};

/// Rewards of responses under their prompt's current rubric and one judge run: majority of
/// the run's gradings per criterion, human overrides on top, aggregated by the rubric's
/// scoring. Reads on the caller's connection; one pass over the run's verdicts.
Expected<std::vector<ResponseScore>> computeScores(store::Database &db, const ScoreOptions &options,
                                                   qint64 *runUsed = nullptr);

} // namespace rs::judge
