#include "servemetrics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace rs::serve {
namespace {

/// A Prometheus label value: backslash, quote and newline escaped.
std::string metricLabel(const QString &text) {
    std::string out;
    for (const char c : text.toStdString()) {
        if (c == '\\' || c == '"')
            out += '\\';
        if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

/// 0.25 s, 2.5 s, 30 s; under a second as ms: 5 ms, 25 ms.
std::string formatSeconds(double seconds) {
    char buf[32];
    if (seconds < 1)
        std::snprintf(buf, sizeof buf, "%g ms", seconds * 1000);
    else
        std::snprintf(buf, sizeof buf, "%g s", seconds);
    return buf;
}

std::string fixed(double v, int decimals) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

} // namespace

std::optional<double> latencyQuantile(const MetricsSnapshot &from, const MetricsSnapshot &to,
                                      double q) {
    const std::int64_t n = to.requests - from.requests;
    if (n <= 0)
        return std::nullopt;
    // The rank of the quantile, 1-based: the p99 of 100 requests is the 99th.
    const auto rank = std::max<std::int64_t>(1, std::int64_t(std::ceil(q * double(n))));
    for (std::size_t i = 0; i < MetricsSnapshot::kBuckets.size(); ++i)
        if (to.buckets[i] - from.buckets[i] >= rank)
            return MetricsSnapshot::kBuckets[i];
    return std::numeric_limits<double>::infinity();
}

std::string statusLine(const MetricsSnapshot &from, const MetricsSnapshot &to, double seconds,
                       std::int64_t queueDepth, std::optional<std::int64_t> step) {
    auto latency = [&](double q) -> std::string {
        const auto v = latencyQuantile(from, to, q);
        if (!v)
            return "-";
        if (std::isinf(*v))
            return "> " + formatSeconds(MetricsSnapshot::kBuckets.back());
        return "≤ " + formatSeconds(*v);
    };
    const std::int64_t items = to.items - from.items;
    std::string line = "serve: " + std::to_string(items) + " items in " +
                       fixed(seconds, seconds < 10 ? 1 : 0) + " s (" +
                       fixed(seconds > 0 ? double(items) / seconds : 0, 1) + "/s; " +
                       std::to_string(to.items) + " since the start) · judge calls " +
                       std::to_string(to.judgeCalls - from.judgeCalls) + " sent, " +
                       std::to_string(to.cacheHits - from.cacheHits) + " from the cache";
    // Failures are what a trainer may log only quietly: always said, with the running total.
    if (to.failures > 0)
        line += " · " + std::to_string(to.failures - from.failures) + " failed (" +
                std::to_string(to.failures) + " since the start)";
    if (to.unknown > 0)
        line += " · " + std::to_string(to.unknown - from.unknown) + " unknown prompts (" +
                std::to_string(to.unknown) + " since the start)";
    line += " · latency p50 " + latency(0.5) + ", p99 " + latency(0.99) + " · queue " +
            std::to_string(queueDepth);
    if (step)
        line += " · step " + std::to_string(*step);
    return line;
}

MetricsSnapshot ServeMetrics::snapshot() const {
    MetricsSnapshot s;
    s.items = m_items;
    s.judgeCalls = m_judgeCalls;
    s.cacheHits = m_cacheHits;
    s.failures = m_failures;
    s.unknown = m_unknown;
    for (std::size_t i = 0; i < kBuckets.size(); ++i)
        s.buckets[i] = m_bucketCounts[i];
    s.requests = m_latencyCount;
    return s;
}

void ServeMetrics::countRequest(std::string_view endpoint) {
    if (endpoint == "/get_reward")
        ++m_getReward;
    else if (endpoint == "/v1/rewards")
        ++m_native;
    else
        ++m_other;
}

void ServeMetrics::countStatus(int status) {
    if (status < 400)
        ++m_status2xx;
    else if (status < 500)
        ++m_status4xx;
    else
        ++m_status5xx;
}

void ServeMetrics::observeLatency(double seconds) {
    for (std::size_t i = 0; i < kBuckets.size(); ++i)
        if (seconds <= kBuckets[i])
            ++m_bucketCounts[i]; // cumulative, as Prometheus buckets are
    ++m_latencyCount;
    m_latencySumMicros += std::int64_t(seconds * 1e6);
}

std::string ServeMetrics::render(std::int64_t queueDepth, std::int64_t connections,
                                 const std::vector<llm::ReplicaState> &replicas) const {
    std::string o;
    auto line = [&o](const char *text) {
        o += text;
        o += '\n';
    };
    auto value = [&o](const std::string &name, std::int64_t v) {
        o += name;
        o += ' ';
        o += std::to_string(v);
        o += '\n';
    };
    line("# HELP rs_reward_requests_total Reward requests received, by endpoint.");
    line("# TYPE rs_reward_requests_total counter");
    value("rs_reward_requests_total{endpoint=\"/get_reward\"}", m_getReward);
    value("rs_reward_requests_total{endpoint=\"/v1/rewards\"}", m_native);
    line("# HELP rs_reward_items_total Items (samples) rewarded or refused.");
    line("# TYPE rs_reward_items_total counter");
    value("rs_reward_items_total", m_items);
    line("# HELP rs_judge_calls_total Judge calls sent to a provider.");
    line("# TYPE rs_judge_calls_total counter");
    value("rs_judge_calls_total", m_judgeCalls);
    line("# HELP rs_cache_hits_total Judge calls answered from the project's LLM cache.");
    line("# TYPE rs_cache_hits_total counter");
    value("rs_cache_hits_total", m_cacheHits);
    line("# HELP rs_verdicts_reused_total Rewards whose verdicts were all in the project already.");
    line("# TYPE rs_verdicts_reused_total counter");
    value("rs_verdicts_reused_total", m_reused);
    line("# HELP rs_reward_failures_total Items answered with an error because a judge call "
         "failed.");
    line("# TYPE rs_reward_failures_total counter");
    value("rs_reward_failures_total", m_failures);
    line("# HELP rs_unknown_prompts_total Items whose prompt is not in the project.");
    line("# TYPE rs_unknown_prompts_total counter");
    value("rs_unknown_prompts_total", m_unknown);
    line("# HELP rs_http_responses_total HTTP responses by status class.");
    line("# TYPE rs_http_responses_total counter");
    value("rs_http_responses_total{class=\"2xx\"}", m_status2xx);
    value("rs_http_responses_total{class=\"4xx\"}", m_status4xx);
    value("rs_http_responses_total{class=\"5xx\"}", m_status5xx);
    line("# HELP rs_request_duration_seconds Time from a request's arrival to its answer.");
    line("# TYPE rs_request_duration_seconds histogram");
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
        char le[32];
        std::snprintf(le, sizeof le, "%g", kBuckets[i]);
        value(std::string("rs_request_duration_seconds_bucket{le=\"") + le + "\"}",
              m_bucketCounts[i]);
    }
    value("rs_request_duration_seconds_bucket{le=\"+Inf\"}", m_latencyCount);
    char sum[64];
    std::snprintf(sum, sizeof sum, "%.6f", double(m_latencySumMicros.load()) / 1e6);
    o += std::string("rs_request_duration_seconds_sum ") + sum + '\n';
    value("rs_request_duration_seconds_count", m_latencyCount);
    line("# HELP rs_queue_depth Items waiting for a reward worker.");
    line("# TYPE rs_queue_depth gauge");
    value("rs_queue_depth", queueDepth);
    line("# HELP rs_open_connections Open client connections.");
    line("# TYPE rs_open_connections gauge");
    value("rs_open_connections", connections);
    // One URL is not tracked (there is nowhere else to send): no replica lines for it.
    if (replicas.size() > 1) {
        line("# HELP rs_judge_replica_up Whether a judge replica (base URL) takes requests.");
        line("# TYPE rs_judge_replica_up gauge");
        for (const auto &r : replicas)
            value("rs_judge_replica_up{url=\"" + metricLabel(r.url) + "\"}", r.up ? 1 : 0);
        line("# HELP rs_judge_replica_requests_total Judge requests a replica answered or failed.");
        line("# TYPE rs_judge_replica_requests_total counter");
        for (const auto &r : replicas)
            value("rs_judge_replica_requests_total{url=\"" + metricLabel(r.url) + "\"}",
                  r.answered + r.failed);
    }
    return o;
}

} // namespace rs::serve
