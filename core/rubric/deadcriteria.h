#pragma once

#include "common/error.h"
#include "deadrule.h"
#include "judge/scoring.h"
#include "topresponses.h"

#include <QList>
#include <QString>

#include <vector>

namespace rs::store {
class Database;
}

namespace rs::rubric {

/// A criterion of a prompt's current rubric that is dead among the prompt's top responses.
struct DeadCriterion final {
    qint64 promptId = 0;
    QString stableId;
    QString text;
    double weight = 1;
    DeadWay way = DeadWay::AllPass;
    int judged = 0; ///< top responses with a verdict on it
    int top = 0;    ///< the prompt's top responses
    /// Checked by code: its verdicts come from the check on the response text, not the judge.
    bool check = false;
    int textPrompts = 1;          ///< prompts where a criterion with this normalised text is dead
    QList<qint64> topResponseIds; ///< the prompt's top responses, best first
};

/// Criteria with the same normalised text (TextSimilarity::normalise) dead in several prompts:
/// generated rubrics repeat criteria, and one that is dead everywhere is a template's problem.
struct DeadGroup final {
    QString key;  ///< the normalised text
    QString text; ///< the text as first seen
    int prompts = 0;
    int allPass = 0;
    int allFail = 0;
};

struct DeadCriteriaOptions final {
    qint64 runId = 0; ///< 0: the latest run
    TopSelection top;
    /// Only criteria whose normalised text is dead in at least this many prompts.
    int minPrompts = 1;
    judge::MissingPolicy missing = judge::MissingPolicy::CountAsNo; ///< how rewards rank
    QList<qint64> promptIds;                                        ///< empty: every prompt
};

struct DeadCriteriaReport final {
    qint64 runId = 0; ///< 0: the project has no judge run (and the list is empty)
    TopSelection top;
    int promptsExamined = 0;  ///< prompts with a rubric and at least one top response
    int criteriaExamined = 0; ///< criteria with at least kMinJudgedForDead judged top responses
    std::vector<DeadCriterion> dead; ///< by prompt id, then rubric order
    int promptsWithDead = 0;
    int checks = 0; ///< of `dead`, criteria checked by code
    /// Texts dead in at least max(2, minPrompts) prompts, most prompts first.
    std::vector<DeadGroup> groups;
};

/// Every dead criterion of the project under one judge run, from one VerdictTally load: per
/// prompt, the top responses (topResponses) and each criterion's verdicts among them judged by
/// deadWay, the same ranking and rule as criterionStats. Errors: a run that does not exist,
/// k < 1, minPrompts < 1.
Expected<DeadCriteriaReport> deadCriteria(store::Database &db, const DeadCriteriaOptions &options);

} // namespace rs::rubric
