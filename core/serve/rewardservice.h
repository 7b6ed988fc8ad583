#pragma once

#include "common/error.h"
#include "judge/judgeconfig.h"
#include "judge/scoring.h"
#include "llm/llmjob.h"

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace rs::store {
class ProjectStore;
}
namespace rs::llm {
class LlmScheduler;
}
namespace rs::judge {
class JudgeStream;
class VerdictTally;
struct TallyResponse;
} // namespace rs::judge

namespace rs::serve {

class ServeMetrics;
struct ServiceReader;

/// One response to reward, its prompt already found in the project.
struct RewardItem final {
    qint64 promptId = 0;
    std::string response;
};

struct CriterionVerdict final {
    std::string id;      ///< the criterion's stable id (c1, c2, ...)
    std::string verdict; ///< "yes", "no", or "none" (a tie or no usable vote)
    double pYes = -1;    ///< share of yes among the votes; -1 without votes
    bool overridden = false;
};

struct RewardResult final {
    int status = 200;      ///< 200, or the HTTP status of this item's error
    std::string error;     ///< why there is no reward (the item is named by the caller)
    double reward = 0;     ///< the same number `scores` gives: VerdictTally::reward
    double rewardSoft = 0; ///< the mean over gradings of each grading's reward
    double passFraction = 0;
    int criteria = 0;
    bool cached = false; ///< no judge call was needed: every verdict was in the project
    qint64 responseId = 0;
    qint64 rubricVersion = 0;
    std::vector<CriterionVerdict> verdicts; ///< an implicit rubric's guidance left out
    bool implicit = false;                  ///< the rubric's aggregation is implicit
    double holisticScore = -1; ///< implicit: the mean of the gradings' 1-10 scores; -1: none
};

/// Rewards responses with the studio's own engine: a response is stored in the project (once,
/// as generator "policy", tier "served"), judged through a JudgeStream in the serve's run only
/// when verdicts are missing, and scored by VerdictTally — the reader `scores` uses — so a
/// reward equals `scores`' for the same response to the last bit.
///
/// Requests are queued and taken in batches by a few workers (one lookup and one insert for
/// all of them); an item whose verdicts are stored is answered at once, the others when their
/// own judge calls are stored — each response is judged once however many requests carry it,
/// and no request waits for another's judge call. The HTTP thread never waits.
class RewardService final {
public:
    /// The machine's cores, 2 to 4. Every worker reads in transactions of its own, and each
    /// transaction after a commit starts from an empty page cache: more workers than cores
    /// only cut the batches smaller and read the same pages more often (on 2 cores, medians of
    /// 4-5 benchmark runs: 2 workers took 708 µs of CPU per uncached reward where 4 took 736,
    /// 107 µs per cached one where 4 took 126, at the same p99; 1 worker raised the p99).
    static int defaultWorkers();

    struct Options {
        judge::JudgeConfig config;
        llm::JobOptions job;
        judge::MissingPolicy missing = judge::MissingPolicy::CountAsNo;
        int workers = defaultWorkers();
        int maxQueueItems = 8192;
        int maxBatchItems = 512;
    };
    using Done = std::function<void(std::vector<RewardResult>)>;

    RewardService(store::ProjectStore &store, llm::LlmScheduler &scheduler, ServeMetrics &metrics,
                  Options options);
    ~RewardService();
    RewardService(const RewardService &) = delete;
    RewardService &operator=(const RewardService &) = delete;

    /// Finds or creates the judge run and starts the workers.
    Expected<void> start();
    qint64 runId() const { return m_runId; }

    /// Queues the items; `done` runs on a worker with one result per item, in order. False
    /// (and `done` is not called) when the queue is full: the caller answers 503.
    bool submit(std::vector<RewardItem> items, Done done);
    std::int64_t queueDepth() const;
    /// Answers everything queued or being judged, then stops the workers.
    void stop();

private:
    struct Job {
        std::vector<RewardItem> items;
        Done done;
    };
    /// A request being answered: its results so far and how many items are still owed.
    struct Pending {
        std::vector<RewardItem> items;
        std::vector<RewardResult> results;
        std::size_t owed = 0;
        Done done;
    };
    /// An item waiting for its response's verdicts.
    struct Waiter {
        std::shared_ptr<Pending> request;
        std::size_t item = 0;
    };
    /// The stream's report that a response's calls are stored, for a worker to read.
    struct Judged {
        qint64 responseId = 0;
        QString failure;
    };
    void work();
    void process(std::vector<Job> &jobs, ServiceReader &reader);
    void answerJudged(std::vector<Judged> &judged, ServiceReader &reader);
    RewardResult rewardOf(const judge::VerdictTally &t, const judge::TallyResponse &r,
                          ServiceReader &reader, bool judged, const QString &failure) const;
    /// Sets an item's result; answers its request when it was the last one owed.
    void deliver(const std::shared_ptr<Pending> &request, std::size_t item, RewardResult result);

    store::ProjectStore &m_store;
    llm::LlmScheduler &m_scheduler;
    ServeMetrics &m_metrics;
    Options m_options;
    qint64 m_runId = 0;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Job> m_queue;
    std::deque<Judged> m_judged;
    /// Responses being judged, and the items waiting for each (by response id).
    std::unordered_map<qint64, std::vector<Waiter>> m_waiting;
    std::int64_t m_queuedItems = 0;
    std::int64_t m_unanswered = 0; ///< requests taken but not answered yet
    bool m_stopping = false;
    std::unique_ptr<judge::JudgeStream> m_stream;
    std::vector<std::thread> m_workers;
};

} // namespace rs::serve
