#include "cellid.h"

namespace rs::labels {

QString cellId(qint64 responseId, const QString &stableId) {
    return QString::number(responseId) + QLatin1Char('/') + stableId;
}

std::optional<CellRef> parseCellId(const QString &id) {
    // Criterion ids may hold a slash themselves; the response id never does.
    const qsizetype slash = id.indexOf(QLatin1Char('/'));
    if (slash <= 0 || slash == id.size() - 1)
        return std::nullopt;
    bool ok = false;
    const qint64 response = id.left(slash).toLongLong(&ok);
    if (!ok || response <= 0)
        return std::nullopt;
    return CellRef{response, id.mid(slash + 1)};
}

} // namespace rs::labels
