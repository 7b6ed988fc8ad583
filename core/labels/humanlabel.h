#pragma once

#include <QString>

#include <optional>

namespace rs::labels {

/// What a human said about a cell. Skip is kept (the cell was seen and passed over, so the
/// queue moves on) but never counts as agreement or disagreement.
enum class LabelValue { Yes, No, Skip };

QString labelValueName(LabelValue v);
std::optional<LabelValue> labelValueFromName(const QString &name);

/// One stored label: the cell by response, criterion id and the criterion's text, so a label
/// stops applying when its criterion is rewritten.
struct HumanLabel final {
    qint64 responseId = 0;
    QString stableId;
    QString criterion;
    QString annotator;
    LabelValue value = LabelValue::Skip;
    QString labelledAt;
};

} // namespace rs::labels
