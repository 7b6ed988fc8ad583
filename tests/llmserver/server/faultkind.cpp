#include "faultkind.h"

namespace rs::llmserver {

namespace {
struct Entry {
    FaultKind kind;
    const char16_t *name;
};
constexpr Entry kEntries[] = {
    {FaultKind::None, u"ok"},
    {FaultKind::Status429, u"429"},
    {FaultKind::Status500, u"500"},
    {FaultKind::Status503, u"503"},
    {FaultKind::Stall, u"stall"},
    {FaultKind::Reset, u"reset"},
    {FaultKind::Malformed, u"malformed"},
    {FaultKind::Truncated, u"truncated"},
    {FaultKind::Fenced, u"fenced"},
};
} // namespace

QString faultName(FaultKind kind) {
    for (const Entry &e : kEntries)
        if (e.kind == kind)
            return QString::fromUtf16(e.name);
    return QStringLiteral("ok");
}

std::optional<FaultKind> parseFault(QStringView name) {
    const QStringView trimmed = name.trimmed();
    for (const Entry &e : kEntries)
        if (trimmed.compare(QStringView(e.name), Qt::CaseInsensitive) == 0)
            return e.kind;
    return std::nullopt;
}

QList<FaultKind> allFaults() {
    QList<FaultKind> kinds;
    for (const Entry &e : kEntries)
        if (e.kind != FaultKind::None)
            kinds.append(e.kind);
    return kinds;
}

} // namespace rs::llmserver
