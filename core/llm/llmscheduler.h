#pragma once

#include "keyresolver.h"
#include "llmcache.h"
#include "llmjob.h"
#include "pricetable.h"
#include "providerconfig.h"
#include "replicapool.h"

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stop_token>
#include <thread>
#include <vector>

namespace rs::store {
class ProjectStore;
}

namespace rs::llm {

class SchedulerWorker;

/// Runs LLM jobs on one worker thread: libcurl multi with many requests in flight over reused
/// connections, per-provider concurrency that halves on 429 and creeps back up on success,
/// request- and token-per-minute budgets, retries with jittered exponential backoff that
/// honour Retry-After, a spending cap per job, and the project's cache and ledger.
///
/// Callbacks run on the worker thread; LlmEngine forwards them to the GUI thread.
class LlmScheduler final {
public:
    LlmScheduler(PriceTable prices, store::ProjectStore *store,
                 std::shared_ptr<const KeyResolver> keys = std::make_shared<KeyResolver>());
    ~LlmScheduler();
    LlmScheduler(const LlmScheduler &) = delete;
    LlmScheduler &operator=(const LlmScheduler &) = delete;

    /// Queues a job; returns its id at once. Every request yields exactly one result
    /// (unless cancelled), then onDone runs once. `keyed`: the requests' cache keys and
    /// canonical bodies when the caller has them already (a cost preview); else computed here.
    std::uint64_t submit(const ProviderConfig &provider, std::vector<LlmRequest> requests,
                         const JobOptions &options, ResultFn onResult, DoneFn onDone,
                         std::vector<LlmCache::Keyed> keyed = {});
    void cancel(std::uint64_t job);
    void cancelRequest(std::uint64_t job, std::uint64_t tag);
    /// Holds back a job's unsent requests (in-flight ones complete); resume sends them on.
    void pause(std::uint64_t job);
    void resume(std::uint64_t job);

    /// Submits and waits; for the CLI, tests, benchmarks and workers. Results arrive in
    /// completion order. A stop requested on `stop` (from any thread) cancels the job: it then
    /// returns at once, with what had come back.
    JobSummary runBlocking(const ProviderConfig &provider, std::vector<LlmRequest> requests,
                           const JobOptions &options, std::vector<LlmResult> *results,
                           const std::stop_token &stop = {});

    /// Each base URL of the providers named `providerName` (the provider's replicas): up or
    /// down, requests in flight, answered and failed. Empty before the provider's first job.
    std::vector<ReplicaState> replicaStates(const QString &providerName) const;

private:
    std::unique_ptr<SchedulerWorker> m_worker;
    std::atomic<std::uint64_t> m_nextId{1};
    std::shared_ptr<const KeyResolver> m_keys;
    std::thread m_thread;
};

} // namespace rs::llm
