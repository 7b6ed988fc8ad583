#pragma once

#include "faultkind.h"

#include <QList>

#include <cstdint>
#include <random>

namespace rs::llmserver {

/// Decides the fault of each model request that carries no x-test-fault header: first the
/// script, one entry per request in arrival order, then the seeded rate. The generator is
/// std::mt19937_64, whose output sequence the C++ standard fixes, and the draws are turned into
/// numbers by hand (not by std:: distributions, which differ between standard libraries), so a
/// seed gives the same fault sequence everywhere.
class FaultPlan final {
public:
    FaultPlan() = default;
    FaultPlan(double rate, QList<FaultKind> kinds, std::uint64_t seed, QList<FaultKind> script);

    FaultKind next();
    /// How many script entries are still to be used.
    qsizetype scriptRemaining() const { return m_script.size() - m_scriptPos; }

private:
    double m_rate = 0.0;
    QList<FaultKind> m_kinds;
    QList<FaultKind> m_script;
    qsizetype m_scriptPos = 0;
    std::mt19937_64 m_rng{1};
};

} // namespace rs::llmserver
