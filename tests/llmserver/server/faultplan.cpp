#include "faultplan.h"

#include <utility>

namespace rs::llmserver {

FaultPlan::FaultPlan(double rate, QList<FaultKind> kinds, std::uint64_t seed,
                     QList<FaultKind> script)
    : m_rate(rate)
    , m_kinds(std::move(kinds))
    , m_script(std::move(script))
    , m_rng(seed) {}

FaultKind FaultPlan::next() {
    if (m_scriptPos < m_script.size())
        return m_script.at(m_scriptPos++);
    if (m_rate <= 0.0 || m_kinds.isEmpty())
        return FaultKind::None;
    // Two draws per request whatever the outcome, so the n-th request's fate depends only on
    // the seed and n: the top 53 bits give a uniform double in [0, 1), the second draw the kind.
    const double u = double(m_rng() >> 11) * 0x1.0p-53;
    const std::uint64_t pick = m_rng();
    if (u >= m_rate)
        return FaultKind::None;
    return m_kinds.at(qsizetype(pick % std::uint64_t(m_kinds.size())));
}

} // namespace rs::llmserver
