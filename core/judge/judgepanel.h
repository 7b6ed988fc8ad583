#pragma once

#include "common/error.h"

#include <QString>

#include <optional>
#include <vector>

namespace rs::store {
class Database;
class ProjectStore;
} // namespace rs::store

namespace rs::judge {

/// What a panel does when its members split evenly (an even-sized panel).
enum class PanelTies {
    Missing, ///< no verdict: the cell counts as the scores' missing policy says
    No       ///< "no": a criterion half the panel doubts is not met
};

QString panelTiesName(PanelTies t);
std::optional<PanelTies> panelTiesFromName(const QString &name);

struct PanelOptions final {
    std::vector<qint64> members; ///< judge runs, one per model (2 to 5)
    PanelTies ties = PanelTies::Missing;
    QString name; ///< empty: "panel <run ids>"
};

struct PanelMember final {
    qint64 runId = 0;
    QString model;
    qint64 answered = 0;              ///< cells this member gave a verdict on
    qint64 compared = 0;              ///< of those, cells the panel decided
    std::optional<double> agreement;  ///< share of compared cells where it sided with the panel
    std::optional<double> kappa;      ///< Cohen's kappa with the panel on compared cells
};

struct PanelResult final {
    qint64 runId = 0;
    qint64 cells = 0;      ///< judged cells (criteria checked by code are not the panel's)
    qint64 decided = 0;    ///< a majority of the whole panel, or a tie resolved by policy
    qint64 ties = 0;       ///< split evenly with every member answering
    qint64 incomplete = 0; ///< a member failed and the rest hold no majority of the panel
    std::vector<PanelMember> members;
};

/// A judge panel from member runs of different models (judged with the same rubrics and
/// settings): a new judge run whose verdict on each cell is the majority of the members'
/// majority verdicts. The majority is of the whole panel — a member that failed on a cell is
/// never dropped silently: 2 of 3 still decide, 1 of 2 does not — and even splits follow the
/// tie policy. Each stored verdict names every member's vote. Combining the same members again
/// replaces the panel run's verdicts, so it follows the members after they are topped up.
Expected<PanelResult> combinePanel(store::ProjectStore &store, store::Database &db,
                                   const PanelOptions &options);

} // namespace rs::judge
