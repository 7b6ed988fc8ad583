#pragma once

#include <chrono>

namespace rs::llm {

/// A per-minute budget (requests or tokens) refilled continuously, so a limit of 600/min
/// allows a steady 10/s rather than bursts of 600 once a minute. Capacity 0 means no limit.
class TokenBucket final {
public:
    using Clock = std::chrono::steady_clock;

    explicit TokenBucket(double perMinute = 0) : m_perMinute(perMinute), m_level(perMinute) {}

    bool unlimited() const { return m_perMinute <= 0; }

    /// Takes `amount` if available now. A request larger than the whole budget is let
    /// through when the bucket is full, or it could never run.
    bool tryTake(double amount, Clock::time_point now)
    {
        if (unlimited())
            return true;
        refill(now);
        if (m_level >= amount || m_level >= m_perMinute) {
            m_level -= amount;
            return true;
        }
        return false;
    }

    /// How long until `amount` could be taken.
    Clock::duration waitFor(double amount, Clock::time_point now)
    {
        if (unlimited())
            return Clock::duration::zero();
        refill(now);
        const double need = std::min(amount, m_perMinute) - m_level;
        if (need <= 0)
            return Clock::duration::zero();
        return std::chrono::duration_cast<Clock::duration>(
            std::chrono::duration<double>(need * 60.0 / m_perMinute));
    }

private:
    void refill(Clock::time_point now)
    {
        if (m_last != Clock::time_point{}) {
            const double secs = std::chrono::duration<double>(now - m_last).count();
            m_level = std::min(m_perMinute, m_level + secs * m_perMinute / 60.0);
        }
        m_last = now;
    }

    double m_perMinute;
    double m_level;
    Clock::time_point m_last{};
};

} // namespace rs::llm
