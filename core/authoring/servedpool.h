#pragma once

#include "common/error.h"

#include <QList>
#include <QMap>
#include <QSet>

#include <cstdint>
#include <optional>

namespace rs::store {
class Database;
}

namespace rs::authoring {

/// Online refinement: an RTD pool made of what the current policy wrote, i.e. the responses
/// `serve` rewarded at one training step (served_rewards), instead of every stored response.
struct ServedPool final {
    std::optional<qint64> step; ///< nullopt: the newest step with a served response ("latest")
    int sample = 0; ///< > 0: at most this many per prompt, a seeded draw; 0: all of them
};

/// The responses one step contributes to the pool.
struct ServedResponses final {
    qint64 step = 0; ///< the step read ("latest" resolved)
    /// Prompt → its served responses, ascending ids, after sampling.
    QMap<qint64, QList<qint64>> byPrompt;
    qint64 served = 0;   ///< distinct served responses of the step, before sampling
    QSet<qint64> runIds; ///< the judge runs whose verdicts gave those rewards
    qint64 responses() const;
};

/// The responses rewarded at the pool's step: served_rewards rows with status ok whose stored
/// response is not empty (as RTD never puts an empty answer in a pool), each response once
/// however often it was served. With a sample, each prompt keeps at most `sample` of them,
/// drawn with a generator seeded from (seed, step, prompt), so a re-run draws the same ones.
/// A step without such a response is an error naming the step.
Expected<ServedResponses> loadServedResponses(store::Database &db, const ServedPool &pool,
                                              std::uint64_t seed);

} // namespace rs::authoring
