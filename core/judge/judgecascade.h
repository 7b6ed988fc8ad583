#pragma once

#include "common/error.h"

#include <QPair>
#include <QSet>
#include <QString>

#include <optional>
#include <vector>

namespace rs::store {
class Database;
class ProjectStore;
} // namespace rs::store

namespace rs::judge {

/// A cell by response id and criterion id, as JudgeConfig::cells names it.
using CellKey = QPair<qint64, QString>;

/// Cheap-first cascade: a cheap judge decides the cells it is sure of, a stronger judge only
/// the rest. A cell of the cheap run is uncertain when its P(yes) — token probabilities in
/// probability mode, else the share of yes votes — lies within `margin` of 0.5 (a vote split
/// counts as P = 0.5 exactly when even), or when it has no verdict at all.
struct UncertainCells final {
    QSet<CellKey> cells;
    qint64 judged = 0; ///< cells the cascade covers (criteria checked by code are not judged)
};
Expected<UncertainCells> uncertainCells(store::Database &db, qint64 cheapRun, double margin);

/// One point of the threshold-vs-cost curve.
struct CascadePoint final {
    double margin = 0;
    qint64 escalated = 0;             ///< cells sent to the strong judge
    double share = 0;                 ///< of the judged cells: the strong judge's share of calls
    std::optional<double> agreement;  ///< cascade vs the strong run, on cells it judged (if given)
    qint64 compared = 0;
};
/// Escalated share at each margin and, when a strong run judged the cells too, how often the
/// cascade's verdict equals the strong judge's (on the cells the strong run answered).
Expected<std::vector<CascadePoint>> cascadeCurve(store::Database &db, qint64 cheapRun,
                                                 qint64 strongRun, const std::vector<double> &margins);

struct CascadeResult final {
    qint64 runId = 0;
    qint64 judged = 0;
    qint64 escalated = 0;  ///< uncertain cells
    qint64 fromStrong = 0; ///< of those, decided by the strong run
    qint64 unresolved = 0; ///< uncertain and the strong run has no verdict: left without one
};
/// Stores the cascade as a judge run: the cheap verdict where it is sure, the strong run's on
/// uncertain cells (none where the strong run did not answer). Combining the same runs and
/// margin again replaces its verdicts.
Expected<CascadeResult> combineCascade(store::ProjectStore &store, store::Database &db,
                                       qint64 cheapRun, qint64 strongRun, double margin);

} // namespace rs::judge
