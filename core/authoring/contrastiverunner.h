#pragma once

#include "authoringprogress.h"
#include "common/error.h"
#include "consistencyfilter.h"
#include "contrastivepairs.h"
#include "judge/judgeconfig.h"
#include "llm/costpreview.h"
#include "llm/llmjob.h"
#include "proposalbatch.h"

#include <QList>
#include <QStringList>

#include <optional>
#include <vector>

namespace rs::store {
class ProjectStore;
}
namespace rs::llm {
class LlmScheduler;
class PriceTable;
} // namespace rs::llm

namespace rs::authoring {

struct ContrastiveConfig final {
    ProposalProviders providers;
    PairOptions pairs; ///< where the preferred/rejected pairs come from, and its prompt scope
    bool replaceExisting = false; ///< also prompts with a rubric that contrastive did not write
    /// The consistency filter's minimum rate; nullopt: every proposed criterion is saved.
    std::optional<double> consistency;
    judge::JudgeConfig judge; ///< judges the pairs for the filter
    QString system;           ///< empty: the built-in contrastive template
    QString user;
};

struct ContrastiveSummary final {
    qint64 inScope = 0; ///< prompts with pairs
    qint64 noPairs = 0; ///< prompts in scope without a known preference (skipped)
    qint64 skipped = 0; ///< already written by contrastive generation, or a rubric from elsewhere
    qint64 planned = 0;
    qint64 generated = 0; ///< versions saved
    qint64 rejected = 0;  ///< rubrics the consistency filter rejected whole (nothing saved)
    qint64 droppedCriteria = 0;
    qint64 failed = 0; ///< unusable answers or failed calls
    qint64 calls = 0;
    qint64 tokens = 0;
    double costUsd = 0;
    bool cancelled = false;
    QStringList failures;                   ///< the first few, "prompt N: reason"
    std::vector<RubricConsistency> reports; ///< one per filtered rubric, when filtering
};

/// Contrastive generation: per prompt, the proposer sees preferred/rejected pairs and writes
/// hard rules and principles (tagged); with a consistency minimum, the judge then grades the
/// pairs with each proposed criterion before anything is saved, criteria that contradict the
/// preferences are dropped and a rubric that does not reproduce them is not saved at all. A
/// saved version has origin "contrastive" and its detail names the pairs and the filter's
/// record of every criterion. Answers are kept in generation_attempts (kind "contrastive",
/// status "inconsistent" for a rejected rubric). Resumable: prompts with a contrastive version
/// are skipped, and a rejected one is asked again (from the cache) on the next run. Blocking.
class ContrastiveRunner final {
public:
    ContrastiveRunner(store::ProjectStore &store, llm::LlmScheduler &scheduler)
        : m_store(store)
        , m_scheduler(scheduler) {}

    Expected<ContrastiveSummary> run(const ContrastiveConfig &config,
                                     const llm::JobOptions &options,
                                     const AuthoringProgressFn &progress = {});
    /// The proposer calls exactly; the filter's judge calls are not known before the answers
    /// (about 2 × pairs calls per prompt in joint mode, × criteria per criterion).
    Expected<llm::CostPreview> preview(const ContrastiveConfig &config,
                                       const llm::PriceTable &prices, bool bypassCache);
    void setPaused(bool paused) { m_paused = paused; }

private:
    struct Planned {
        qint64 promptId = 0;
        QString text;
        QList<KnownPreference> pairs;
        QList<std::pair<QString, QString>> shown; ///< (preferred, rejected) texts
    };
    Expected<std::vector<Planned>> plan(const ContrastiveConfig &config,
                                        ContrastiveSummary &summary);

    store::ProjectStore &m_store;
    llm::LlmScheduler &m_scheduler;
    PauseFlag m_paused{false};
};

} // namespace rs::authoring
