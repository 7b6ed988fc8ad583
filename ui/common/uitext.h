#pragma once

#include <QString>

namespace rs::ui {

/// "1 prompt" / "7 prompts": English plurals without a translation catalogue, which tr()'s
/// %n would need to produce anything better than "7 prompt(s)".
QString countText(qint64 n, const QString &one, const QString &many);

/// A weight or point value as a researcher writes it: "3", "1.5", "−2" (a true minus sign,
/// so a penalty is not mistaken for a dash).
QString weightText(double weight);

/// "0:42", "12:05", "1:02:03".
QString durationText(qint64 seconds);

/// The first non-empty line of `text`, whitespace-trimmed.
QString firstLine(const QString &text);

} // namespace rs::ui
