#pragma once

#include "common/error.h"

#include <QtGlobal>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
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
/// — from the writer's commit callback, so no thread waits for it. flush() waits for
/// everything posted (on shutdown).
class ServedRewardLog final {
public:
    explicit ServedRewardLog(store::ProjectStore &store);
    ~ServedRewardLog();
    ServedRewardLog(const ServedRewardLog &) = delete;
    ServedRewardLog &operator=(const ServedRewardLog &) = delete;

    /// Posts the rows; `committed`, when given, runs on the writer's thread once they are
    /// committed (or their write failed: the failure is counted and logged, and the request
    /// is still answered rather than left hanging), so it must be short. Callbacks run in the
    /// order of the calls.
    void record(std::vector<ServedReward> rows, std::function<void()> committed = {});
    /// Waits until every row recorded so far is committed and every callback has run.
    void flush();
    std::int64_t failedWrites() const { return m_failedWrites.load(); }

private:
    store::ProjectStore &m_store;
    std::atomic<std::int64_t> m_failedWrites{0};
    std::mutex m_mutex;
    std::condition_variable m_idle;
    std::size_t m_unanswered = 0; ///< callbacks not run yet
};

} // namespace rs::serve
