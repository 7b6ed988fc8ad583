#pragma once

#include "common/error.h"

#include <QtGlobal>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace rs::store {
class ProjectStore;
}

namespace rs::serve {

/// One row of the served_rewards table: what the trainer was told, and why.
struct ServedReward final {
    std::optional<qint64> step;
    std::string endpoint;
    qint64 promptId = 0;   ///< 0: unknown prompt
    qint64 responseId = 0; ///< 0: none stored
    qint64 rubricVersion = 0;
    qint64 runId = 0;
    std::string status; ///< ok, failed, unknown_prompt
    double reward = 0;
    double rewardSoft = 0;
    double passFraction = 0;
    std::string criteriaJson; ///< [{"id", "verdict", "p_yes"}], per-criterion verdicts
    bool cached = false;
    qint64 responseLength = 0;
    double latencyMs = 0;
    std::string error;
};

/// Appends served rewards to the project through its single writer, without holding up a
/// reward worker: a request is answered once its rows are committed — a trainer must never
/// hold a reward the project lost (a SIGKILL between the answer and the commit would lose it)
/// — but the wait happens on this log's own thread, so the workers go on judging. flush()
/// waits for everything posted (on shutdown).
class ServedRewardLog final {
public:
    explicit ServedRewardLog(store::ProjectStore &store);
    ~ServedRewardLog();
    ServedRewardLog(const ServedRewardLog &) = delete;
    ServedRewardLog &operator=(const ServedRewardLog &) = delete;

    /// Posts the rows; `committed`, when given, runs on the log's thread once they are
    /// committed (or their write failed: the failure is counted and logged, and the request
    /// is still answered rather than left hanging). Callbacks run in the order of the calls.
    void record(std::vector<ServedReward> rows, std::function<void()> committed = {});
    /// Waits until every row recorded so far is committed and every callback has run.
    void flush();
    std::int64_t failedWrites() const { return m_failedWrites.load(); }

private:
    void waitLoop();

    store::ProjectStore &m_store;
    std::atomic<std::int64_t> m_failedWrites{0};
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::pair<std::future<Expected<void>>, std::function<void()>>> m_waiting;
    std::condition_variable m_idle;
    std::size_t m_unanswered = 0; ///< callbacks queued or running
    bool m_stopping = false;
    std::thread m_waiter; // last: started once the members above exist
};

} // namespace rs::serve
