#include "analysis/metrictable.h"

#include <cmath>

namespace rs::ui {

QString metricCellText(const QVariant &value)
{
    if (!value.isValid() || value.isNull())
        return QStringLiteral("—");
    switch (value.typeId()) {
    case QMetaType::Double:
    case QMetaType::Float: {
        const double v = value.toDouble();
        if (!std::isfinite(v))
            return QStringLiteral("—");
        return QString::number(v, 'f', 3);
    }
    default:
        return value.toString();
    }
}

} // namespace rs::ui
