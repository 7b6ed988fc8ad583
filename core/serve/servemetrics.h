#pragma once

#include "llm/replicapool.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace rs::serve {

/// The counters at one moment, for the status line serve prints while it runs.
struct MetricsSnapshot final {
    static constexpr std::array<double, 14> kBuckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                     0.25,  0.5,    1,     2.5,  5,     10,   30};
    std::int64_t items = 0;      ///< items (samples) rewarded or refused
    std::int64_t judgeCalls = 0; ///< sent to the judge
    std::int64_t cacheHits = 0;  ///< judge calls answered from the project's cache
    std::int64_t failures = 0;   ///< items answered with an error: a judge call failed
    std::int64_t unknown = 0;    ///< items whose prompt is not in the project
    std::array<std::int64_t, kBuckets.size()> buckets{}; ///< cumulative request latencies
    std::int64_t requests = 0;                           ///< requests with a latency
};

/// The latency under which a share `q` of the requests between two snapshots was answered:
/// the upper bound of the histogram bucket that holds it (a request slower than the last
/// bucket counts as infinity); nullopt when no request came in between.
std::optional<double> latencyQuantile(const MetricsSnapshot &from, const MetricsSnapshot &to,
                                      double q);

/// One line on what serve did between two snapshots `seconds` apart, for a terminal watched
/// while training runs: rewards and their rate, judge calls sent and served from the cache,
/// failures and unknown prompts (since the start too, when there are any), latency p50/p99,
/// the queue, and the latest training step when there is one.
std::string statusLine(const MetricsSnapshot &from, const MetricsSnapshot &to, double seconds,
                       std::int64_t queueDepth, std::optional<std::int64_t> step);

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
    MetricsSnapshot snapshot() const;

private:
    static constexpr auto kBuckets = MetricsSnapshot::kBuckets;
    std::atomic<std::int64_t> m_getReward{0}, m_native{0}, m_other{0};
    std::atomic<std::int64_t> m_items{0}, m_judgeCalls{0}, m_cacheHits{0}, m_reused{0};
    std::atomic<std::int64_t> m_failures{0}, m_unknown{0};
    std::atomic<std::int64_t> m_status2xx{0}, m_status4xx{0}, m_status5xx{0};
    std::array<std::atomic<std::int64_t>, kBuckets.size()> m_bucketCounts{};
    std::atomic<std::int64_t> m_latencyCount{0};
    std::atomic<std::int64_t> m_latencySumMicros{0};
};

} // namespace rs::serve
