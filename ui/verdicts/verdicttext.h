#pragma once

#include "judge/verdictgrid.h"

#include <QString>

namespace rs::ui {

/// Words for verdicts, shared by the heatmap's tooltips, the Compare view and the inspector so
/// the same cell reads the same everywhere.

/// True for the states a human set (OverriddenYes, OverriddenNo).
bool isOverridden(judge::CellState state);
/// Whether the verdict counts as met: yes or overridden yes.
bool isMet(judge::CellState state);
/// The cell carries a verdict (judge or human): anything but Pending.
bool isDecided(judge::CellState state);

/// "yes", "no", "failed", "pending", "yes (override)", "no (override)".
QString stateText(judge::CellState state);
/// "3/3 yes", "2/3 yes, 1 failed"; empty when the judge gave no grading.
QString voteText(const judge::GridCell &cell);
/// One line for a cell: "yes · 2/3 yes" or "no (override) · judge: 3/3 yes".
QString verdictLine(const judge::GridCell &cell);
/// The tooltip of a heatmap cell: criterion, weight, verdict, votes, the P(yes) a soft cell is
/// shaded by and where it comes from, rationale, override note.
QString cellToolTip(const judge::GridCriterion &criterion, const judge::GridCell &cell);
/// "0.92"; the reward as the table shows it.
QString rewardText(double reward);

} // namespace rs::ui
