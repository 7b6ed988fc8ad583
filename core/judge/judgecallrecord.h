#pragma once

#include "common/error.h"

#include <QString>

#include <optional>
#include <vector>

namespace rs::store {
class Database;
}

namespace rs::judge {

/// One criterion's verdict from a judge call, as stored in `verdicts`.
struct VerdictRow final {
    qint64 hash = 0;
    QString stableId;
    QString verdict; ///< yes / no / error / refused
    QString rationale;
    std::optional<double> pYes;
};

/// A holistic score from a judge call on an implicit rubric, as stored in `holistic_scores`.
struct HolisticRow final {
    qint64 guidanceHash = 0;
    QString status;           ///< ok / error / refused
    std::optional<int> score; ///< 1..10 when ok
    QString rationale;        ///< the judge's explanation, or why there is no score
};

/// One finished judge call: its `judge_calls` row and what it decided.
struct CallRecord final {
    qint64 responseId = 0;
    int grading = 0;
    double temperature = 0;
    QString raw;
    QString error;
    int attempts = 0;
    bool cached = false;
    bool refused = false;
    qint64 tokensIn = 0;
    qint64 tokensCachedIn = 0;
    qint64 tokensOut = 0;
    qint64 tokensReasoning = 0;
    double cost = 0;
    std::vector<VerdictRow> verdicts;
    std::optional<HolisticRow> holistic; ///< set for a holistic call (it has no verdicts)

    /// Rows this call stores besides its call row: verdicts, or its one holistic score.
    qint64 rows() const { return qint64(verdicts.size()) + (holistic ? 1 : 0); }
};

/// Stores the calls and their verdicts or scores; run on the writer thread, inside its
/// transaction. A call stored again replaces the verdicts and scores it answered.
Expected<void> storeCallRecords(store::Database &db, qint64 runId,
                                const std::vector<CallRecord> &records);

} // namespace rs::judge
