#include "verdicts/verdictshade.h"

#include <QtGlobal>

namespace rs::ui {
namespace {

// Colours come from functions, not globals: other files' constants may be built from them, and
// globals in two files have no order of construction.

/// The middle of the scale: lighter than both ends and warm, so it is not mistaken for a
/// pending cell's grey. Green and red differ in lightness too, for the common colour-vision
/// deficiencies.
QColor unsure() {
    return {0xdc, 0xd3, 0xbc};
}

QColor lerpColour(const QColor &a, const QColor &b, double t) {
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t),
                            float(a.greenF() + (b.greenF() - a.greenF()) * t),
                            float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

} // namespace

QColor verdictYesColour() {
    return {0x2e, 0x9b, 0x45};
}

QColor verdictNoColour() {
    return {0xc0, 0x4b, 0x48};
}

std::optional<double> shadedPYes(const judge::GridCell &cell) {
    // Failed and refused keep their marks too: "!" (asked again) says more than a shade.
    if (cell.pYes < 0 ||
        (cell.state != judge::CellState::Yes && cell.state != judge::CellState::No))
        return std::nullopt;
    if (cell.pYesVotes > 0 || cell.yesVotes + cell.noVotes >= 2)
        return qBound(0.0, cell.pYes, 1.0);
    return std::nullopt;
}

QColor pYesShade(double pYes) {
    const double p = qBound(0.0, pYes, 1.0);
    return p < 0.5 ? lerpColour(verdictNoColour(), unsure(), p * 2.0)
                   : lerpColour(unsure(), verdictYesColour(), p * 2.0 - 1.0);
}

} // namespace rs::ui
