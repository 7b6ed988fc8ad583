#pragma once

#include "authoringprogress.h"
#include "consistencyfilter.h"
#include "contrastivepairs.h"
#include "common/error.h"
#include "domain/records.h"
#include "judge/judgeconfig.h"
#include "llm/costpreview.h"
#include "llm/llmjob.h"
#include "pairselection.h"
#include "proposalbatch.h"
#include "rtdrounds.h"

#include <QList>
#include <QStringList>

#include <optional>

namespace rs::store {
class ProjectStore;
}
namespace rs::llm {
class LlmScheduler;
class PriceTable;
} // namespace rs::llm

namespace rs::authoring {

struct RtdConfig final {
    ProposalProviders providers;  ///< the proposer that rewrites, and its repair
    judge::JudgeConfig judge;     ///< scores the pool; its run is topped up round after round
    QList<qint64> promptIds;      ///< empty: every prompt with a rubric
    int rounds = 4;               ///< target rounds per prompt in the current series
    PairSelection selection = PairSelection::Top2;
    std::uint64_t seed = 1;
    /// With PairSelection::Manual: the two responses (of one prompt) driving one round.
    std::optional<std::pair<qint64, qint64>> manualPair;
    bool restart = false;   ///< start a new series (a fresh pool) instead of continuing
    bool autoAccept = true; ///< false: propose one round per prompt and return it unsaved
    QString system;         ///< empty: the built-in rewrite template
    QString user;
    /// The consistency filter's minimum rate over known preferences (gold or tiers), applied
    /// to each rewrite before it is saved; nullopt: rewrites are saved as proposed.
    std::optional<double> consistency;
    PairOptions consistencyPairs; ///< where those preferences come from (not top2)
};

/// A round proposed but not saved (autoAccept off): the GUI shows the diff and saves the
/// accepted criteria with acceptRound().
struct PendingRound final {
    RtdRound round;                  ///< everything but versionId
    QList<CriterionRecord> previous; ///< the head's criteria the rewrite started from
    QList<rubric::CriterionDraft> proposed; ///< stable ids already matched to `previous`
    QJsonObject detail;              ///< origin detail to store with the version
};

struct RtdSummary final {
    qint64 prompts = 0;       ///< in scope (with a rubric)
    qint64 roundsBefore = 0;  ///< completed in the current series before this run
    qint64 roundsDone = 0;    ///< completed by this run
    qint64 promptsComplete = 0; ///< at the target, or fewer than two responses left
    qint64 failed = 0;        ///< prompts stopped by an unusable rewrite (raw text kept)
    qint64 judgeFailures = 0; ///< prompts stopped because some pool verdicts failed
    qint64 rejected = 0;      ///< rewrites the consistency filter rejected (prompt stopped)
    qint64 droppedCriteria = 0; ///< criteria the filter took out of saved rewrites
    qint64 calls = 0;
    qint64 tokens = 0;
    double costUsd = 0;
    bool cancelled = false;
    QStringList failures;
    QList<PendingRound> pending;
};

/// Refinement through differentiation over one prompt or thousands, as one job: each round
/// judges the remaining pool of every active prompt (incrementally, one judge run), picks each
/// prompt's pair, asks the proposer for all rewrites at once, and saves each as a version with
/// origin "rtd" (stable ids matched to the previous version) plus an rtd_rounds row. The pair
/// leaves the pool. A prompt stops at the target rounds or with fewer than two responses left.
/// Killed or cancelled, saved rounds stay and the next run continues from there. Blocking.
class RtdRunner final {
public:
    RtdRunner(store::ProjectStore &store, llm::LlmScheduler &scheduler)
        : m_store(store), m_scheduler(scheduler)
    {
    }

    Expected<RtdSummary> run(const RtdConfig &config, const llm::JobOptions &options,
                             const AuthoringProgressFn &progress = {});
    /// The first round's judging exactly, plus the rewrites of every remaining round estimated
    /// from the first pair's size; later judging is estimated from the shrinking pool.
    Expected<llm::CostPreview> preview(const RtdConfig &config, const llm::PriceTable &prices,
                                       bool bypassCache);
    void setPaused(bool paused) { m_paused = paused; }

    /// Saves a pending round with the criteria the user accepted (in order).
    static Expected<qint64> acceptRound(store::ProjectStore &store, const PendingRound &pending,
                                        const QList<rubric::CriterionDraft> &accepted);

private:
    struct PromptState;
    Expected<std::vector<PromptState>> loadStates(const RtdConfig &config);

    store::ProjectStore &m_store;
    llm::LlmScheduler &m_scheduler;
    PauseFlag m_paused{false};
};

} // namespace rs::authoring
