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
#include "servedpool.h"

#include <QList>
#include <QMap>
#include <QSet>
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
    /// Online refinement: the pool is the responses `serve` rewarded at one training step (a
    /// sample of them per prompt, drawn with `seed`), and the prompts those responses answer.
    /// The judge run is still the one of `judge`: give the settings serve ran with and the
    /// verdicts it stored for those responses are reused. A series belongs to one step: a run
    /// on another step (or on the whole pool) starts a new series, a re-run on the same step
    /// continues it.
    std::optional<ServedPool> servedPool;
};

/// The pool a run starts from: each prompt in scope with the responses not yet used in its
/// current series.
struct RtdPool final {
    QMap<qint64, QList<qint64>> responses;
    std::optional<qint64> servedStep; ///< with a served pool: the step read (latest resolved)
    qint64 servedResponses = 0; ///< with a served pool: distinct responses rewarded at the step
    QSet<qint64> servedRuns;    ///< the judge runs whose verdicts gave those rewards
    qint64 responseCount() const;
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
    RtdPool pool;          ///< what the run started from
    qint64 judgeRunId = 0; ///< the run that scored the pool (0: nothing was judged)
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
    /// The pool a run of `config` would start from (reads only). With a served pool, an error
    /// names a step without served responses, or one whose responses answer no prompt in scope.
    Expected<RtdPool> pool(const RtdConfig &config);

    /// Saves a pending round with the criteria the user accepted (in order).
    static Expected<qint64> acceptRound(store::ProjectStore &store, const PendingRound &pending,
                                        const QList<rubric::CriterionDraft> &accepted);

private:
    struct PromptState;
    struct Scope;
    Expected<Scope> loadStates(const RtdConfig &config);
    static RtdPool poolOf(const Scope &scope);

    store::ProjectStore &m_store;
    llm::LlmScheduler &m_scheduler;
    PauseFlag m_paused{false};
};

} // namespace rs::authoring
