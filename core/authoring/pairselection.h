#pragma once

#include "common/error.h"

#include <QList>
#include <QString>

#include <cstdint>
#include <optional>
#include <utility>

namespace rs::authoring {

enum class PairSelection {
    Top2,   ///< the two highest rewards; equal rewards go to the lower response id
    Tied,   ///< the top two, drawn at random (seeded) among responses tied at a place
    Manual  ///< response ids given by the caller
};

QString selectionName(PairSelection s); ///< "top2" / "tied" / "manual", as stored

struct PoolEntry final {
    qint64 responseId = 0;
    double reward = 0;
};

struct SelectedPair final {
    qint64 a = 0; ///< the better-scoring of the two (or the first given)
    qint64 b = 0;
    double scoreA = 0;
    double scoreB = 0;
    double topScore = 0;
    int tiesAtTop = 0; ///< responses of the pool sharing the best reward (1: no tie)
};

/// Picks the pair that drives an RTD round from the pool's rewards. Tied draws use a
/// generator seeded from (seed, prompt, round), so a re-run picks the same pair. Manual checks
/// that both ids are in the pool. Fewer than two responses: an error.
Expected<SelectedPair> selectPair(QList<PoolEntry> pool, PairSelection mode, std::uint64_t seed,
                                  qint64 promptId, int round,
                                  std::optional<std::pair<qint64, qint64>> manual = std::nullopt);

} // namespace rs::authoring
