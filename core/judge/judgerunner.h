#pragma once

#include "common/error.h"
#include "judgeconfig.h"
#include "judgeplan.h"
#include "llm/costpreview.h"
#include "llm/llmjob.h"

#include <QStringList>

#include <atomic>
#include <functional>
#include <optional>
#include <vector>

namespace rs::store {
class ProjectStore;
}
namespace rs::llm {
class LlmScheduler;
class PriceTable;
} // namespace rs::llm

namespace rs::judge {

struct JudgeProgress final {
    qint64 callsDone = 0;
    qint64 callsTotal = 0;
    qint64 failedCalls = 0;
    qint64 cachedCalls = 0;
    qint64 tokens = 0;
    double costUsd = 0;
    qint64 refusedCalls = 0;
    qint64 sentCalls = 0; ///< answered by the provider (not from the cache)
    qint64 tokensIn = 0;  ///< of calls sent: all input tokens, cached included
    qint64 tokensCachedIn = 0;
    qint64 tokensOut = 0;
    qint64 tokensReasoning = 0;
};

/// Called about ten times a second from the thread running the judge; false cancels.
using JudgeProgressFn = std::function<bool(const JudgeProgress &)>;

struct JudgeRunSummary final {
    qint64 runId = 0;
    qint64 responses = 0;
    qint64 verdictsWanted = 0;
    qint64 verdictsBefore = 0; ///< already answered when this invocation started
    qint64 callsPlanned = 0;
    qint64 callsDone = 0;
    qint64 failedCalls = 0; ///< calls that ended without a usable answer (stored as failed)
    qint64 cachedCalls = 0;
    qint64 verdictsStored = 0;
    qint64 tokens = 0;
    double costUsd = 0;
    bool cancelled = false;
    qint64 notCached = 0; ///< cache-only runs: calls without a cached answer, left for later
    qint64 refusedCalls = 0;   ///< answered with a refusal: stored as refused, not asked again
    qint64 sentCalls = 0;      ///< answered by the provider in this invocation
    qint64 tokensIn = 0;       ///< of the calls sent; cached input included
    qint64 tokensCachedIn = 0; ///< read from the provider's prompt cache
    qint64 tokensOut = 0;
    qint64 tokensReasoning = 0;
    bool capReached = false; ///< calls were held back by the run's spending cap
    QStringList failures; ///< the first few, "response N: reason"
    QString outcome; ///< set by non-judge jobs sharing the jobs panel ("5 rubrics generated")
};

/// Runs (or resumes) a judge run: plans the missing verdicts, sends the calls through the
/// scheduler, parses answers (re-asking as a new sample when one cannot be parsed),
/// and stores verdicts as they arrive in batched transactions. Killed at any point, the next
/// run() with the same config requests exactly what is missing. Blocking: call it from a
/// worker thread or the CLI.
class JudgeRunner final {
public:
    JudgeRunner(store::ProjectStore &store, llm::LlmScheduler &scheduler)
        : m_store(store), m_scheduler(scheduler)
    {
    }

    Expected<JudgeRunSummary> run(const JudgeConfig &config, const llm::JobOptions &options,
                                  const JudgeProgressFn &progress = {});

    /// Pauses or resumes the running job; safe from any thread while run() blocks.
    void setPaused(bool paused) { m_paused = paused; }
    bool isPaused() const { return m_paused; }

    /// Whether planning may create the run's row (a batch export) or only look for it (a preview).
    enum class RunRow { Create, FindOnly };

    /// The requests the next run() would send first, one per missing call, in plan order and
    /// rendered exactly as run() renders them (so the same cache keys): what a provider batch
    /// file carries.
    Expected<std::vector<llm::LlmRequest>> plannedRequests(const JudgeConfig &config,
                                                           qint64 *runId = nullptr,
                                                           RunRow row = RunRow::Create);

    /// Calls, tokens and dollars the next run() would spend, and how many answers are cached.
    Expected<llm::CostPreview> preview(const JudgeConfig &config, const llm::PriceTable &prices,
                                       bool bypassCache);

private:
    /// What the last preview() rendered: run() sends these as they are, instead of rendering
    /// and keying every request again, when its plan is still item for item the one previewed
    /// under the same settings (the CLI previews and runs at once; a GUI preview may be stale).
    struct Previewed {
        QString settings;
        std::vector<WorkItem> items;
        std::vector<llm::LlmRequest> requests;
        std::vector<llm::LlmCache::Keyed> keyed; ///< per item, when the preview keyed them
    };
    static QString settingsOf(const JudgeConfig &config, const JudgeTemplate &tpl);
    Expected<std::vector<llm::LlmRequest>> plannedRequests(const JudgeConfig &config, qint64 *runId,
                                                           RunRow row, Previewed *keep);

    store::ProjectStore &m_store;
    llm::LlmScheduler &m_scheduler;
    std::optional<Previewed> m_previewed;
    std::atomic<bool> m_paused{false};
};

} // namespace rs::judge
