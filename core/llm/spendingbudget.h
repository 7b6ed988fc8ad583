#pragma once

#include <memory>
#include <mutex>

namespace rs::llm {

/// One spending cap shared by every job of a run (a judge run's chunks, an RTD pass's rounds,
/// the proposer and the judge). A call is sent only after its worst-case cost is reserved, so
/// with any number of calls in flight the spend never passes the cap: a call whose worst case
/// does not fit is not sent. Thread-safe.
class SpendingBudget final {
public:
    explicit SpendingBudget(double capUsd)
        : m_cap(capUsd) {}

    /// A budget for the cap, or none when capUsd is 0 (no cap).
    static std::shared_ptr<SpendingBudget> forCap(double capUsd);

    double cap() const { return m_cap; }
    /// Reserves a call's worst-case cost; false (nothing reserved) when it would not fit.
    bool reserve(double worstUsd);
    /// Replaces a reservation by what the call cost (0 when it failed or was not sent).
    void settle(double reservedUsd, double actualUsd);
    double spent() const;
    bool reached() const; ///< a call was held back for the cap

private:
    const double m_cap;
    mutable std::mutex m_mutex;
    double m_spent = 0;
    double m_reserved = 0;
    bool m_reached = false;
};

} // namespace rs::llm
