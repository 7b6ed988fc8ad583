#include "humanlabel.h"

namespace rs::labels {

QString labelValueName(LabelValue v) {
    switch (v) {
    case LabelValue::Yes:
        return QStringLiteral("yes");
    case LabelValue::No:
        return QStringLiteral("no");
    case LabelValue::Skip:
        break;
    }
    return QStringLiteral("skip");
}

std::optional<LabelValue> labelValueFromName(const QString &name) {
    if (name == QLatin1String("yes"))
        return LabelValue::Yes;
    if (name == QLatin1String("no"))
        return LabelValue::No;
    if (name == QLatin1String("skip"))
        return LabelValue::Skip;
    return std::nullopt;
}

} // namespace rs::labels
