#pragma once

#include <QtGlobal>

#include <atomic>
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

/// Appends served rewards to the project through its single writer, without waiting for the
/// commit: a request is answered as soon as its reward is known. flush() waits for everything
/// posted (on shutdown).
class ServedRewardLog final {
public:
    explicit ServedRewardLog(store::ProjectStore &store)
        : m_store(store) {}

    void record(std::vector<ServedReward> rows);
    /// Waits until every row recorded so far is committed.
    void flush();
    std::int64_t failedWrites() const { return m_failedWrites.load(); }

private:
    store::ProjectStore &m_store;
    std::atomic<std::int64_t> m_failedWrites{0};
};

} // namespace rs::serve
