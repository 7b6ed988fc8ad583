#pragma once

#include <QString>

#include <cstdint>

namespace rs::rubric {

/// How a criterion behaves among a prompt's top responses.
enum class DeadWay : std::int8_t {
    Alive,   ///< the top responses disagree on it, or too few were judged to tell
    AllPass, ///< every judged top response passes it
    AllFail  ///< every judged top response fails it
};

/// Fewer judged top responses than this say nothing about a criterion.
inline constexpr int kMinJudgedForDead = 2;

/// The one definition of a dead criterion (method.md: it does nothing where RL needs signal):
/// among at least two judged top responses, every one passes it or every one fails it. The
/// Rubric tab's stats, the metrics' top-tier separation and the project-wide list (prune) all
/// call this, so they cannot disagree on which criteria are dead.
constexpr DeadWay deadWay(int yes, int judged) {
    if (judged < kMinJudgedForDead)
        return DeadWay::Alive;
    if (yes == judged)
        return DeadWay::AllPass;
    return yes == 0 ? DeadWay::AllFail : DeadWay::Alive;
}

/// "all_pass" / "all_fail" / "alive", as in JSON output and version details.
inline QString deadWayKey(DeadWay way) {
    switch (way) {
    case DeadWay::AllPass:
        return QStringLiteral("all_pass");
    case DeadWay::AllFail:
        return QStringLiteral("all_fail");
    case DeadWay::Alive:
        break;
    }
    return QStringLiteral("alive");
}

} // namespace rs::rubric
