#include "common/offlinetextdocument.h"

#include "common/uilogging.h"

namespace rs::ui {
namespace {
// Enough to show what a response tried to load, bounded so a response with thousands of
// images cannot grow the list without end.
constexpr qsizetype kMaxRemembered = 256;
} // namespace

OfflineTextDocument::OfflineTextDocument(QObject *parent)
    : QTextDocument(parent)
{
}

QVariant OfflineTextDocument::loadResource(int type, const QUrl &name)
{
    Q_UNUSED(type)
    if (m_blocked.size() < kMaxRemembered && !m_blocked.contains(name)) {
        m_blocked.append(name);
        qCDebug(lcUi) << "not loading resource" << name.toDisplayString();
        Q_EMIT resourceBlocked(name);
    }
    return {};
}

} // namespace rs::ui
