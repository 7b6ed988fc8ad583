#pragma once

#include "authoringprogress.h"
#include "common/error.h"
#include "llm/costpreview.h"
#include "llm/llmjob.h"
#include "proposalbatch.h"

#include <QList>
#include <QStringList>

namespace rs::store {
class ProjectStore;
}
namespace rs::llm {
class LlmScheduler;
class PriceTable;
} // namespace rs::llm

namespace rs::authoring {

struct GenerationConfig final {
    ProposalProviders providers;
    QList<qint64> promptIds;  ///< empty: every prompt
    int withReferences = 0;   ///< reference responses shown to the proposer (lowest ids first)
    bool retryFailedOnly = false; ///< only prompts whose last generation failed
    bool replaceExisting = false; ///< also prompts whose rubric came from elsewhere (import, hand)
    QString system;           ///< empty: the built-in generation template
    QString user;
};

struct GenerationSummary final {
    qint64 inScope = 0;   ///< prompts selected
    qint64 skipped = 0;   ///< already generated (resume), or with a rubric from elsewhere
    qint64 planned = 0;   ///< prompts asked this time
    qint64 generated = 0; ///< new versions saved, repaired ones included
    qint64 repaired = 0;
    qint64 failed = 0;    ///< unusable after repair, or the call failed: raw text kept
    qint64 calls = 0;
    qint64 tokens = 0;
    double costUsd = 0;
    bool cancelled = false;
    QStringList failures; ///< the first few, "prompt N: reason"
};

/// Writes an initial rubric per prompt with the proposer (prompt alone, or with reference
/// responses). Each usable answer becomes a version with origin "generation" whose detail
/// names the model, the template version and whether it was repaired; every answer is kept in
/// generation_attempts. Resumable: prompts that already have a generated version are skipped,
/// so a cancelled or killed run continues where it stopped. Blocking.
class GenerationRunner final {
public:
    GenerationRunner(store::ProjectStore &store, llm::LlmScheduler &scheduler)
        : m_store(store), m_scheduler(scheduler)
    {
    }

    Expected<GenerationSummary> run(const GenerationConfig &config, const llm::JobOptions &options,
                                    const AuthoringProgressFn &progress = {});
    Expected<llm::CostPreview> preview(const GenerationConfig &config, const llm::PriceTable &prices,
                                       bool bypassCache);
    void setPaused(bool paused) { m_paused = paused; }

private:
    struct Planned {
        qint64 promptId;
        QString text;
        QStringList references;
    };
    Expected<std::vector<Planned>> plan(const GenerationConfig &config, GenerationSummary &summary);

    store::ProjectStore &m_store;
    llm::LlmScheduler &m_scheduler;
    PauseFlag m_paused{false};
};

} // namespace rs::authoring
