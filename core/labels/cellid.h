#pragma once

#include <QString>

#include <optional>

namespace rs::labels {

/// A verdict cell: one response and one criterion of its prompt's current rubric, named
/// "RESPONSE_ID/CRITERION_ID" (the ids `export-verdicts` writes), so a label file can be read
/// next to an export and merged between machines.
struct CellRef final {
    qint64 responseId = 0;
    QString stableId;
};

QString cellId(qint64 responseId, const QString &stableId);
std::optional<CellRef> parseCellId(const QString &id);

} // namespace rs::labels
