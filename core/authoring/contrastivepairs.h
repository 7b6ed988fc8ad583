#pragma once

#include "common/error.h"

#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace rs::store {
class Database;
}

namespace rs::authoring {

/// Where the known preferences of contrastive generation and the consistency filter come from.
enum class PairSource {
    Gold,  ///< stored preferences with a winner (imported, human or oracle)
    Tiers, ///< a response of the best tier over one of the next tier (great over good)
    Top2   ///< the current rubric's two best responses under the latest judge run (RTD's pair)
};

QString pairSourceName(PairSource source); ///< "gold" / "tiers" / "top2"
std::optional<PairSource> pairSourceFromName(const QString &name);

/// One known preference between two responses to the same prompt.
struct KnownPreference final {
    qint64 preferred = 0;
    qint64 rejected = 0;
};

struct PairOptions final {
    PairSource source = PairSource::Gold;
    int maxPairs = 3;        ///< per prompt
    QList<qint64> promptIds; ///< empty: every prompt
    /// Tiers: the better and the worse tier; empty: the project's two best known tiers
    /// (excellent, great, good, weak, base, bad), as the metrics choose them.
    QString betterTier;
    QString worseTier;
    qint64 runId = 0; ///< Top2: the judge run ranking the responses; 0: the latest
};

/// Known preferences per prompt (prompts without any are absent). Gold takes the most decided
/// pairs first; tiers pairs the two tiers' responses in id order, each response used once;
/// top2 skips prompts whose two best responses tie (nothing is known about them). Empty
/// responses never take part: there is nothing to contrast.
Expected<QHash<qint64, QList<KnownPreference>>> knownPreferences(store::Database &db,
                                                                 const PairOptions &options);

} // namespace rs::authoring
