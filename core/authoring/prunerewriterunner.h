#pragma once

#include "authoringprogress.h"
#include "common/error.h"
#include "domain/records.h"
#include "llm/costpreview.h"
#include "llm/llmjob.h"
#include "proposalbatch.h"
#include "rubric/deadcriteria.h"

#include <QList>
#include <QStringList>

#include <vector>

namespace rs::store {
class ProjectStore;
}
namespace rs::llm {
class LlmScheduler;
class PriceTable;
} // namespace rs::llm

namespace rs::authoring {

struct PruneRewriteConfig final {
    ProposalProviders providers;
    /// The dead criteria to rewrite, as rubric::deadCriteria listed them (top responses too).
    QList<rubric::DeadCriterion> criteria;
    qint64 runId = 0;         ///< the run they are dead under, for the version's detail
    rubric::TopSelection top; ///< how the top was chosen, for the detail
    int maxResponses = 4;     ///< top responses shown to the proposer, best first
    QString system;           ///< empty: the built-in prune rewrite template
    QString user;
};

struct PruneRewriteSummary final {
    qint64 prompts = 0;   ///< prompts in the selection
    qint64 skipped = 0;   ///< nothing left to rewrite (done already, edited since, or checks)
    qint64 planned = 0;   ///< prompts asked this time
    qint64 rewritten = 0; ///< new versions saved, repaired answers included
    qint64 repaired = 0;
    qint64 unchanged = 0; ///< the answer changed nothing: no version saved
    qint64 failed = 0;    ///< unusable after repair, or the call failed
    qint64 checks = 0;    ///< picked criteria checked by code: left alone (prune or edit them)
    qint64 calls = 0;
    qint64 tokens = 0;
    double costUsd = 0;
    bool cancelled = false;
    QStringList failures; ///< the first few, "prompt N: reason"
};

/// Rewrites the picked dead criteria through the proposer, one request per prompt: it sees the
/// prompt, the whole rubric, the dead criteria with why they are dead, and the top responses;
/// it answers with replacements in the rubric answer format (parsed and repaired as for
/// generation). The new version keeps the other criteria as they are, puts the replacements
/// where the first dead criterion was (stable ids matched as RTD does), and is saved with origin
/// "prune-rewrite". A failed prompt is reported and the others go on. Resumable and idempotent:
/// criteria no longer in the current rubric are skipped, and so is a prompt whose current
/// version is the prune rewrite of exactly those criteria (the proposer kept them). Criteria
/// checked by code are never sent: their prose is not what decides them. Blocking.
class PruneRewriteRunner final {
public:
    PruneRewriteRunner(store::ProjectStore &store, llm::LlmScheduler &scheduler)
        : m_store(store)
        , m_scheduler(scheduler) {}

    Expected<PruneRewriteSummary> run(const PruneRewriteConfig &config,
                                      const llm::JobOptions &options,
                                      const AuthoringProgressFn &progress = {});
    Expected<llm::CostPreview> preview(const PruneRewriteConfig &config,
                                       const llm::PriceTable &prices, bool bypassCache);
    void setPaused(bool paused) { m_paused = paused; }

private:
    struct Planned {
        qint64 promptId = 0;
        QString prompt;
        RubricRecord head;
        QList<rubric::DeadCriterion> dead; ///< still in the head, judged (not checks)
        QStringList responses;             ///< top responses shown, best first
    };
    Expected<std::vector<Planned>> plan(const PruneRewriteConfig &config,
                                        PruneRewriteSummary &summary);
    static llm::LlmRequest render(const PruneRewriteConfig &config, const Planned &item);

    store::ProjectStore &m_store;
    llm::LlmScheduler &m_scheduler;
    PauseFlag m_paused{false};
};

} // namespace rs::authoring
