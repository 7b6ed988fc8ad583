#pragma once

#include <QtGlobal>

#include <chrono>
#include <mutex>
#include <optional>

namespace rs::serve {

/// The training step a served reward is logged under. A request may name its own (a `step`
/// field or an X-Training-Step header); OpenRLHF and verl never do, and without a step the
/// Training view has nothing to show. So a step is inferred for the others from how a trainer
/// asks: it sends a step's rewards in one stretch — concurrently, or one after another as a
/// reward manager does — then trains without asking. A request that arrives after the server
/// has had nothing in flight for `gap` starts the next step. Once a request names its step, the
/// trainer's numbers are the steps and nothing more is inferred. Thread-safe.
class StepClock final {
public:
    using Clock = std::chrono::steady_clock;

    /// `gap` zero: never infers. `firstStep`: the step the first inferred burst is logged under
    /// (serve continues after the log's highest step, so a new run does not merge into one).
    StepClock(Clock::duration gap, qint64 firstStep);

    /// A reward request arrived at `at`, naming `named` or no step: the step to log its rewards
    /// under (nullopt: none). Every arrive() must be followed by a leave() when it is answered.
    std::optional<qint64> arrive(Clock::time_point at, std::optional<qint64> named);
    /// The request counted by arrive() was answered at `at`.
    void leave(Clock::time_point at);
    /// The step of the latest request (named or inferred); nullopt before any or when off.
    std::optional<qint64> latest() const;
    /// Whether steps are inferred now (on, and no request has named its own yet).
    bool inferring() const;

private:
    mutable std::mutex m_mutex;
    const Clock::duration m_gap;
    qint64 m_step;
    bool m_named = false;
    int m_inFlight = 0;
    std::optional<Clock::time_point> m_idleSince;
    std::optional<qint64> m_latest;
};

} // namespace rs::serve
