#pragma once

#include "common/error.h"

#include <QString>

#include <optional>
#include <vector>

namespace rs::store {
class Database;
}

namespace rs::analytics {

/// Where the response a top response is compared with comes from.
enum class ContrastSource {
    None,       ///< no contrast was found: the pair is skipped (TopHackPair::skipReason)
    StepMedian, ///< a median-reward response of the same prompt served at the same step
    Unserved,   ///< the prompt's best never-served response under the same reward
};

/// "median", "unserved" or "none", as the JSON names it.
QString contrastSourceName(ContrastSource source);

/// One of a step's top-rewarded responses and the response the panel compares it with.
struct TopHackPair final {
    qint64 step = 0;
    qint64 servedId = 0; ///< served_rewards.id of the top response (TopResponse::servedId)
    qint64 promptId = 0;
    qint64 topResponseId = 0; ///< 0 when its text was not stored
    double topReward = 0;
    ContrastSource source = ContrastSource::None;
    qint64 contrastResponseId = 0;
    double contrastReward = 0;
    QString skipReason; ///< why there is no contrast; empty when there is one

    bool planned() const { return source != ContrastSource::None; }
};

/// The pairs of one step, in the order of its top responses (highest reward first).
struct TopHackPlan final {
    qint64 step = 0;
    std::vector<TopHackPair> pairs;
};

/// Pairs each of a step's top-K rewarded responses (ranked as `training` ranks them) with a
/// contrast of the same prompt:
/// - the median-reward response among the prompt's other served responses at that step (the
///   upper median of the others, by reward then served id: for the prompt's best response that
///   is the median of all its served responses, and with two served responses it is the other);
/// - when the top response is the prompt's only one at that step, the prompt's best response
///   that was never served, rewarded as the top response was: by the served reward's judge run
///   under the same rubric version (still the prompt's head), counting only responses whose
///   verdicts are complete (missing verdicts count as no, serve's default), ties to the lower
///   id;
/// - else none, with the reason.
/// `step` nullopt means the latest step. Reads only (a read-only connection is enough).
Expected<TopHackPlan> planTopHackPairs(store::Database &db, std::optional<qint64> step, int topK);

} // namespace rs::analytics
