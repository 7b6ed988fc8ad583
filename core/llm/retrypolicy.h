#pragma once

#include <chrono>
#include <optional>
#include <random>
#include <string_view>

namespace rs::llm {

/// When and whether to retry a failed call.
class RetryPolicy final {
public:
    using Duration = std::chrono::milliseconds;

    explicit RetryPolicy(Duration base = Duration(500), Duration cap = Duration(30000))
        : m_base(base), m_cap(cap)
    {
    }

    /// 429, 5xx (and Anthropic's 529 "overloaded") are worth retrying; other 4xx are not.
    static bool retryableStatus(long status) { return status == 429 || status == 408 || status >= 500; }

    /// Exponential backoff with jitter: a random delay in [d/2, d], d = base·2^attempt capped.
    /// Jitter keeps many workers that failed together from retrying together.
    Duration delay(int attempt)
    {
        const double d = std::min<double>(double(m_cap.count()),
                                          double(m_base.count()) * double(1LL << std::min(attempt, 20)));
        std::uniform_real_distribution<double> jitter(0.5, 1.0);
        return Duration(static_cast<long long>(d * jitter(m_rng)));
    }

    /// Parses a Retry-After header value in seconds (the HTTP-date form is rare for APIs and
    /// falls back to the computed backoff).
    static std::optional<Duration> parseRetryAfter(std::string_view value)
    {
        double secs = 0;
        bool any = false;
        double frac = 0, scale = 1;
        bool inFrac = false;
        for (const char c : value) {
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
                continue;
            if (c == '.' && !inFrac) {
                inFrac = true;
                continue;
            }
            if (c < '0' || c > '9')
                return std::nullopt;
            any = true;
            if (inFrac) {
                scale /= 10;
                frac += (c - '0') * scale;
            } else {
                secs = secs * 10 + (c - '0');
            }
        }
        if (!any)
            return std::nullopt;
        return Duration(static_cast<long long>((secs + frac) * 1000));
    }

private:
    Duration m_base;
    Duration m_cap;
    std::mt19937_64 m_rng{std::random_device{}()};
};

} // namespace rs::llm
