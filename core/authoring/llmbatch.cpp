#include "llmbatch.h"

#include "llm/llmscheduler.h"

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace rs::authoring {

BatchOutcome runBatch(llm::LlmScheduler &scheduler, const llm::ProviderConfig &provider,
                      std::vector<llm::LlmRequest> requests, const llm::JobOptions &options,
                      AuthoringProgress &progress, const AuthoringProgressFn &report,
                      const PauseFlag *paused)
{
    BatchOutcome out;
    out.results.resize(requests.size());
    for (size_t i = 0; i < requests.size(); ++i) {
        requests[i].tag = i;
        out.results[i].tag = i;
        out.results[i].errorText = QStringLiteral("not answered (cancelled)");
    }
    if (requests.empty())
        return out;

    std::mutex mutex;
    std::condition_variable wake;
    bool done = false;
    AuthoringProgress shared = progress;
    const auto job = scheduler.submit(
        provider, std::move(requests), options,
        [&](std::uint64_t, const llm::LlmResult &res) {
            std::lock_guard lock(mutex);
            if (res.tag < out.results.size())
                out.results[res.tag] = res;
            ++shared.calls;
            shared.failedCalls += !res.ok;
            shared.cachedCalls += res.cached;
            shared.tokens += res.tokensIn + res.tokensOut;
            shared.costUsd += res.costUsd;
        },
        [&](std::uint64_t, const llm::JobSummary &) {
            std::lock_guard lock(mutex);
            done = true;
            wake.notify_all();
        });

    bool isPaused = false;
    for (;;) {
        if (paused && paused->load() != isPaused) {
            isPaused = paused->load();
            isPaused ? scheduler.pause(job) : scheduler.resume(job);
        }
        AuthoringProgress snapshot;
        {
            std::unique_lock lock(mutex);
            if (wake.wait_for(lock, std::chrono::milliseconds(100), [&] { return done; }))
                break;
            snapshot = shared;
        }
        if (report && !out.cancelled && !report(snapshot)) {
            out.cancelled = true;
            scheduler.cancel(job);
        }
    }
    std::lock_guard lock(mutex);
    progress = shared;
    return out;
}

} // namespace rs::authoring
