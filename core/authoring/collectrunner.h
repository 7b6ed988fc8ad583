#pragma once

#include "authoringprogress.h"
#include "common/error.h"
#include "llm/costpreview.h"
#include "llm/llmjob.h"
#include "llm/providerconfig.h"

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

/// Candidate responses for the RTD pool: n samples of each prompt from each model, or a
/// rewrite of existing responses by each model.
struct CollectConfig final {
    QList<llm::ProviderConfig> models;
    int n = 1;                 ///< samples per prompt and model
    double temperature = 0.7;
    int maxTokens = 1024;
    QString tier;              ///< tier tag stored with every collected response
    bool offPolicy = false;
    QList<qint64> promptIds;   ///< empty: every prompt
    /// Rewrite mode: each model rewrites these responses (one rewrite each) instead of sampling.
    QList<qint64> rewriteResponseIds;
    QString rewriteInstruction; ///< empty: "Improve the response ..." (built-in)
};

struct CollectSummary final {
    qint64 planned = 0;   ///< responses asked for this time
    qint64 skipped = 0;   ///< already collected (resume)
    qint64 stored = 0;
    qint64 duplicates = 0; ///< same prompt, generator and text as one already stored
    qint64 failed = 0;
    qint64 calls = 0;
    qint64 tokens = 0;
    double costUsd = 0;
    bool cancelled = false;
    QStringList failures;
};

/// The generator name a collected response is stored under: "MODEL#k" for the k-th sample
/// (1-based), "MODEL#rewrite-ID" for a rewrite of response ID. Distinct per sample, so the
/// studio's duplicate check (prompt, generator, text) never merges two samples, and a re-run
/// knows exactly which are still missing.
QString sampleGenerator(const QString &model, int k);
QString rewriteGenerator(const QString &model, qint64 sourceResponseId);

/// Samples or rewrites through the scheduler (cache, ledger, retries apply; each sample has
/// its own seed so the cache keeps samples apart) and stores every answer like an imported
/// response (ImportSink: joined on prompt text, duplicates reported). Resumable: a response
/// whose generator name already exists for the prompt is not asked again. Blocking.
class CollectRunner final {
public:
    CollectRunner(store::ProjectStore &store, llm::LlmScheduler &scheduler)
        : m_store(store), m_scheduler(scheduler)
    {
    }

    Expected<CollectSummary> run(const CollectConfig &config, const llm::JobOptions &options,
                                 const AuthoringProgressFn &progress = {});
    Expected<llm::CostPreview> preview(const CollectConfig &config, const llm::PriceTable &prices,
                                       bool bypassCache);
    void setPaused(bool paused) { m_paused = paused; }

private:
    struct Item {
        int model;
        qint64 promptId;
        QString promptText;
        QString generator;
        llm::LlmRequest request;
    };
    Expected<std::vector<Item>> plan(const CollectConfig &config, CollectSummary &summary);

    store::ProjectStore &m_store;
    llm::LlmScheduler &m_scheduler;
    PauseFlag m_paused{false};
};

} // namespace rs::authoring
