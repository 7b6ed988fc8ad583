#pragma once

#include <optional>

namespace rs::rubric {

/// What one criterion says about one known preference (preferred vs rejected response).
enum class PairCall {
    Agree,      ///< the preferred response passes and the rejected one fails
    Contradict, ///< the rejected response passes and the preferred one fails
    Neutral,    ///< both pass or both fail: the criterion does not separate the pair
    Unjudged    ///< a verdict is missing (a tie of votes, a failed call)
};

inline PairCall classifyPair(std::optional<bool> preferred, std::optional<bool> rejected) {
    if (!preferred || !rejected)
        return PairCall::Unjudged;
    if (*preferred == *rejected)
        return PairCall::Neutral;
    return *preferred ? PairCall::Agree : PairCall::Contradict;
}

/// A criterion's record over known preferences. The rate counts decisive pairs only: a
/// criterion both responses pass (a guard such as "does not insult the user") neither
/// reproduces nor contradicts a preference, and says so with rate() empty, so the consistency
/// filter and `criterion_gold_agreement` judge a criterion only on pairs it separates.
struct PreferenceTally final {
    int agree = 0;
    int contradict = 0;
    int neutral = 0;
    int unjudged = 0;

    void add(PairCall call) {
        switch (call) {
        case PairCall::Agree:
            ++agree;
            break;
        case PairCall::Contradict:
            ++contradict;
            break;
        case PairCall::Neutral:
            ++neutral;
            break;
        case PairCall::Unjudged:
            ++unjudged;
            break;
        }
    }
    int pairs() const { return agree + contradict + neutral + unjudged; }
    int decisive() const { return agree + contradict; }
    std::optional<double> rate() const {
        return decisive() ? std::optional<double>(double(agree) / decisive()) : std::nullopt;
    }
};

} // namespace rs::rubric
