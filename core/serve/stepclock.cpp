#include "stepclock.h"

namespace rs::serve {

StepClock::StepClock(Clock::duration gap, qint64 firstStep)
    : m_gap(gap)
    , m_step(firstStep) {}

std::optional<qint64> StepClock::arrive(Clock::time_point at, std::optional<qint64> named) {
    std::lock_guard lock(m_mutex);
    const bool idleLongEnough = m_inFlight == 0 && m_idleSince && at - *m_idleSince >= m_gap;
    ++m_inFlight;
    if (named) {
        m_named = true;
        m_latest = named;
        return named;
    }
    if (m_gap <= Clock::duration::zero() || m_named)
        return std::nullopt;
    if (m_latest && idleLongEnough) // not the first burst: the one before it has ended
        ++m_step;
    m_latest = m_step;
    return m_step;
}

void StepClock::leave(Clock::time_point at) {
    std::lock_guard lock(m_mutex);
    if (m_inFlight > 0 && --m_inFlight == 0)
        m_idleSince = at;
}

std::optional<qint64> StepClock::latest() const {
    std::lock_guard lock(m_mutex);
    return m_latest;
}

bool StepClock::inferring() const {
    std::lock_guard lock(m_mutex);
    return m_gap > Clock::duration::zero() && !m_named;
}

} // namespace rs::serve
