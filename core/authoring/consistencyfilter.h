#pragma once

#include "authoringprogress.h"
#include "common/error.h"
#include "contrastivepairs.h"
#include "judge/judgeconfig.h"
#include "llm/llmjob.h"
#include "rubric/preferenceagreement.h"
#include "rubric/rubricversions.h"

#include <QJsonObject>
#include <QList>

#include <functional>
#include <optional>
#include <vector>

namespace rs::store {
class ProjectStore;
}
namespace rs::llm {
class LlmScheduler;
}

namespace rs::authoring {

/// A proposed rubric (not saved yet) and the preferences it should reproduce.
struct ConsistencyCandidate final {
    qint64 promptId = 0;
    QList<rubric::CriterionDraft> criteria;
    QList<KnownPreference> pairs;
};

struct CriterionConsistency final {
    QString stableId;
    QString text;
    rubric::PreferenceTally tally;
    bool kept = true;
    QString reason; ///< why it was dropped, or a note on a kept one ("separates no pair")
};

/// The preference-consistency verdict on one proposed rubric.
struct RubricConsistency final {
    qint64 promptId = 0;
    double minRate = 0;
    QList<CriterionConsistency> criteria;
    /// The kept criteria's reward over each pair: agree when the preferred response scores
    /// higher, contradict when lower, neutral on a tie (a tie does not reproduce a preference).
    rubric::PreferenceTally rubric;
    std::optional<double> rubricRate; ///< agree / judged pairs; empty when none was judged
    bool kept = false;
    QString reason; ///< why the rubric was rejected
    QList<rubric::CriterionDraft> keptCriteria;
    int dropped() const;
    /// What a saved version's origin detail carries: the pairs, each criterion's record and
    /// the dropped ones with their reasons, so the history says what the filter did.
    QJsonObject toDetail() const;
};

/// The judge's majority verdict of response `responseId` on candidate criterion `index`;
/// nullopt when there is none (a tie of votes, a failed call).
using CandidateVerdictFn = std::function<std::optional<bool>(qint64 responseId, int index)>;

/// The filter itself, pure: a judged criterion is dropped when it separates some pair and
/// reproduces fewer than `minRate` of the pairs it separates; one that separates none is kept
/// (a guard both responses meet says nothing against the preferences) and noted. Criteria
/// checked by code are kept as they are. The rubric, over its kept criteria under the
/// weighted sum, must then rank the preferred response above the rejected one in at least
/// `minRate` of the judged pairs, or it is rejected whole.
RubricConsistency assessConsistency(const ConsistencyCandidate &candidate,
                                    const CandidateVerdictFn &verdict, double minRate);

/// Judges every candidate's criteria on its pairs' responses with `judge` (one judge run,
/// topped up: the same run a later full judging uses, so a candidate that is saved keeps its
/// verdicts) and assesses each. Criteria checked by code are evaluated on the response text.
/// Blocking; a cancelled judging returns what it has with `*cancelled` set and no verdicts.
class ConsistencyFilter final {
public:
    ConsistencyFilter(store::ProjectStore &store, llm::LlmScheduler &scheduler,
                      judge::JudgeConfig judge, double minRate)
        : m_store(store)
        , m_scheduler(scheduler)
        , m_judge(std::move(judge))
        , m_minRate(minRate) {}

    Expected<std::vector<RubricConsistency>>
    run(const std::vector<ConsistencyCandidate> &candidates, const llm::JobOptions &options,
        AuthoringProgress &progress, const AuthoringProgressFn &report, const PauseFlag *paused,
        bool *cancelled);

private:
    store::ProjectStore &m_store;
    llm::LlmScheduler &m_scheduler;
    judge::JudgeConfig m_judge;
    double m_minRate;
};

} // namespace rs::authoring
