#pragma once

#include "llm/replicapool.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace rs::serve {

/// The server's counters, rendered in the Prometheus text format for GET /metrics. Lock-free:
/// every request updates them from whichever thread answers it.
class ServeMetrics final {
public:
    void countRequest(std::string_view endpoint);
    void countItems(std::int64_t n) { m_items += n; }
    void countJudgeCalls(std::int64_t sent, std::int64_t cached) {
        m_judgeCalls += sent;
        m_cacheHits += cached;
    }
    void countReused(std::int64_t items) { m_reused += items; } ///< rewards needing no judge call
    void countFailures(std::int64_t n) { m_failures += n; }
    void countUnknownPrompts(std::int64_t n) { m_unknown += n; }
    void countStatus(int status);
    void observeLatency(double seconds);

    /// The exposition text; `queueDepth`, `connections` and the judge's `replicas` are read
    /// when it is rendered. Replica lines only when the judge has more than one base URL.
    std::string render(std::int64_t queueDepth, std::int64_t connections,
                       const std::vector<llm::ReplicaState> &replicas = {}) const;

private:
    static constexpr std::array<double, 14> kBuckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                     0.25,  0.5,    1,     2.5,  5,     10,   30};
    std::atomic<std::int64_t> m_getReward{0}, m_native{0}, m_other{0};
    std::atomic<std::int64_t> m_items{0}, m_judgeCalls{0}, m_cacheHits{0}, m_reused{0};
    std::atomic<std::int64_t> m_failures{0}, m_unknown{0};
    std::atomic<std::int64_t> m_status2xx{0}, m_status4xx{0}, m_status5xx{0};
    std::array<std::atomic<std::int64_t>, kBuckets.size()> m_bucketCounts{};
    std::atomic<std::int64_t> m_latencyCount{0};
    std::atomic<std::int64_t> m_latencySumMicros{0};
};

} // namespace rs::serve
