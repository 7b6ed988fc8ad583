#pragma once

#include "judge/verdictgrid.h"

#include <QColor>

#include <optional>

namespace rs::ui {

/// The heatmap's verdict colours, and the scale between them that soft verdicts are shaded
/// by. Fixed hues (not the palette's): they must read the same in light and dark themes, and
/// the cell delegate, the model and the legend must agree on them.

/// The strong "yes" green of a met criterion.
QColor verdictYesColour();
/// The strong "no" red of an unmet criterion (the edge of the hard "no" mark).
QColor verdictNoColour();

/// The P(yes) a cell is shaded by: the mean of the votes' token probabilities (probability
/// mode), or the share of yes among two or more yes/no votes. Hard-only cells have none and
/// keep their marks: one plain vote, a check, a human override, a failed or refused grading,
/// no verdict.
std::optional<double> shadedPYes(const judge::GridCell &cell);

/// P(yes) on the no → yes scale: the no colour at 0, a light neutral at 0.5, the yes colour at
/// 1, linear in RGB between. Through a neutral rather than straight across, which passes
/// through a muddy olive that reads as neither: an unsure judge should look unsure.
QColor pYesShade(double pYes);

} // namespace rs::ui
