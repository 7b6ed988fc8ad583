#pragma once

#include "capabilitystore.h"
#include "curlsocketloop.h"
#include "llmcache.h"
#include "llmjob.h"
#include "pricetable.h"
#include "providerconfig.h"
#include "replicapool.h"
#include "retrypolicy.h"
#include "tokenbucket.h"
#include "wireprotocol.h"

#include <queue>

#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

typedef void CURL;
typedef void CURLM;
struct curl_slist;

namespace rs::llm {

/// The scheduler's worker-thread state. Everything here is touched by the worker thread only,
/// except the inbox (guarded by m_inboxMutex) and the wake-up call.
class SchedulerWorker final {
public:
    using Clock = std::chrono::steady_clock;

    struct NewJob {
        std::uint64_t id = 0;
        ProviderConfig provider;
        QString apiKey;
        std::optional<Error> keyError;
        std::vector<LlmRequest> requests;
        JobOptions options;
        ResultFn onResult;
        DoneFn onDone;
        /// Per request, its cache key and canonical body, computed by post() on the submitting
        /// thread (they are most of a request's cost on this one) unless the caller had them.
        std::vector<LlmCache::Keyed> keyed;
    };

    SchedulerWorker(PriceTable prices, store::ProjectStore *store,
                    std::shared_ptr<CapabilityStore> capabilities = CapabilityStore::shared());
    ~SchedulerWorker();

    void run(); ///< the thread body; returns after stop()
    void stop();
    /// Any thread: keys the job's requests (unless it has their keys) and queues it.
    void post(NewJob job);
    void cancel(std::uint64_t job, std::optional<std::uint64_t> tag);
    /// A paused job sends nothing new; calls already in flight finish and are kept.
    void setPaused(std::uint64_t job, bool paused);
    /// The replicas of the providers named `providerName`, as of the worker's last loop; any
    /// thread may ask.
    std::vector<ReplicaState> replicaStates(const QString &providerName) const;

private:
    struct Job;
    struct ProviderState {
        int limit = 1;
        int maxLimit = 1;
        int inFlight = 0;
        int successStreak = 0;
        TokenBucket requests;
        TokenBucket tokens;
        Clock::time_point pausedUntil{};
        std::deque<std::pair<Job *, std::size_t>> ready; ///< (job, request index)
        ProviderConfig config;
        ModelCapabilities caps;
        bool defaultCaps = false; ///< caps are the kind's defaults: a body keyed ahead fits
        /// Bumped by every lesson: a rejection of a request built before the last lesson is
        /// sent again as it is now, not learned from twice.
        int capsGeneration = 0;
        /// After a lesson and until the model accepts a request, one request at a time: a model
        /// that rejects several parameters rejects each once, not once per call in flight.
        bool probing = false;
        bool capsDirty = false;
        ReplicaPool replicas;
        QString probeKey; ///< the latest job's key, for probes of servers that want one
    };
    struct Job {
        NewJob spec;
        ProviderState *provider = nullptr;
        std::vector<int> attempts;
        std::size_t open = 0; ///< requests without a final result yet
        JobSummary summary;
        bool cancelled = false;
        bool paused = false;
        std::vector<std::size_t> parked; ///< requests set aside while paused
        std::vector<bool> finished;
        std::vector<int> room;        ///< max-token multiplier after cut answers (1, 2, 4)
        std::vector<int> lessons;     ///< rejections learned from, per request (bounded)
        std::vector<double> reserved; ///< worst-case cost reserved on the budget while in flight
        std::shared_ptr<SpendingBudget> budget;
    };
    struct Transfer {
        CURL *easy = nullptr;
        curl_slist *headers = nullptr;
        Job *job = nullptr;
        std::size_t index = 0;
        HttpRequest http;
        std::string response;
        std::optional<RetryPolicy::Duration> retryAfter;
        int capsGeneration = 0;
        std::size_t replica = 0;
    };
    /// A health probe of a down replica: GET {base}/models.
    struct Probe {
        ProviderState *provider = nullptr;
        std::size_t replica = 0;
        curl_slist *headers = nullptr;
        std::string response;
    };
    struct Delayed {
        Clock::time_point due;
        std::uint64_t jobId;
        std::size_t index;
        bool operator>(const Delayed &o) const { return due > o.due; }
    };
    struct Command {
        enum class Kind { Cancel, Pause, Resume };
        std::uint64_t job;
        std::optional<std::uint64_t> tag;
        Kind kind = Kind::Cancel;
    };

    void drainInbox();
    void admit(NewJob spec);
    void cancelNow(const Command &c);
    void pauseNow(std::uint64_t job, bool paused);
    void promoteDelayed(Clock::time_point now);
    void startTransfers(Clock::time_point now);
    void start(Job *job, std::size_t index, Clock::time_point now);
    /// An answer (HTTP 200) whose transfer is released but whose body is not read yet.
    struct Answered {
        Job *job = nullptr;
        std::size_t index = 0;
        std::string body;
    };
    void collectFinished();
    /// Releases the transfer and handles a failure; an answer goes to `answered`, to be read
    /// once the freed places are refilled (collectFinished).
    void finishTransfer(Transfer *t, int curlCode, std::vector<Answered> &answered);
    void readAnswer(Job *job, std::size_t index, const std::string &body);
    void retryOrFail(Job *job, std::size_t index, const QString &why, int status,
                     std::optional<RetryPolicy::Duration> retryAfter, bool elsewhere = false);
    void complete(Job *job, std::size_t index, LlmResult result);
    void maybeFinishJob(Job *job);
    void runDoneCalls(); ///< the jobs' "done" callbacks the writer handed back
    void wake();         ///< ends the worker's wait from any thread (inbox, stop)
    Clock::duration nextWake(Clock::time_point now);
    CURL *takeEasy();
    void releaseTransfer(Transfer *t, bool answered = false, bool replicaFault = false);
    void startProbes(ProviderState *ps, Clock::time_point now);
    void finishProbe(CURL *easy, int curlCode);
    void publishReplicas();
    ProviderState *providerFor(const ProviderConfig &p);
    bool handleRejection(Job *job, std::size_t index, int status, const std::string &body,
                         int generation);
    void requeueNow(Job *job, std::size_t index);
    double worstCost(const Job *job, std::size_t index) const;
    void release(Job *job, std::size_t index, double actualCost);
    void saveLessons();

    PriceTable m_prices;
    std::optional<LlmCache> m_cache;
    std::shared_ptr<CapabilityStore> m_capabilities;
    RetryPolicy m_retry;
    CURLM *m_multi = nullptr;
    std::unique_ptr<CurlSocketLoop> m_loop; ///< waits on m_multi's sockets; outlives it
    std::vector<CURL *> m_idleEasy;
    std::unordered_map<std::string, std::unique_ptr<ProviderState>> m_providers;
    std::map<std::uint64_t, std::unique_ptr<Job>> m_jobs;
    std::priority_queue<Delayed, std::vector<Delayed>, std::greater<>> m_delayed;
    std::unordered_map<CURL *, std::unique_ptr<Transfer>> m_transfers;
    std::unordered_map<CURL *, std::unique_ptr<Probe>> m_probes;
    bool m_replicasChanged = false;

    mutable std::mutex m_replicaMutex; ///< guards m_replicaStates
    std::unordered_map<std::string, std::vector<ReplicaState>>
        m_replicaStates; ///< by provider name
    Clock::time_point m_lastFlush{};

    std::mutex m_inboxMutex;
    std::vector<NewJob> m_inbox;
    std::vector<Command> m_commands;
    /// Jobs' "done" callbacks, queued by the writer once their rows are committed.
    std::vector<std::function<void()>> m_doneCalls;
    std::atomic<bool> m_stop{false};
};

} // namespace rs::llm
