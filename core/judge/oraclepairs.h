#pragma once

#include "common/error.h"

#include <QSet>
#include <QString>

#include <vector>

namespace rs::store {
class Database;
}

namespace rs::judge {

struct OraclePairOptions final {
    QString tierA;          ///< with tierB: pairs of one response of each tier; empty: any pair
    QString tierB;
    QSet<qint64> promptIds; ///< empty: every prompt
    int maxPairs = 50;
};

struct OraclePair final {
    qint64 promptId = 0;
    qint64 responseA = 0;
    qint64 responseB = 0;
};

/// The pairs a pairwise oracle should label next: within each prompt (by id), the responses of
/// tier A against those of tier B (or every pair), leaving out pairs that already have an oracle
/// preference in either order, so asking again continues where the last run stopped.
Expected<std::vector<OraclePair>> oraclePairs(store::Database &db, const OraclePairOptions &options);

} // namespace rs::judge
