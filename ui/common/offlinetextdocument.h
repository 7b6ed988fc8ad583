#pragma once

#include <QList>
#include <QTextDocument>
#include <QUrl>

namespace rs::ui {

/// A text document that never loads a resource: no images, style sheets or anything else
/// from the network, the disk or Qt resources.
///
/// Responses are untrusted model output. An image reference such as ![](http://host/x.png)
/// must not make the studio contact anyone (a tracking pixel in a response would tell a
/// third party that a researcher opened it), and ![](file:///…) must not show local files.
/// Overriding QTextDocument::loadResource closes both paths: QTextBrowser's override is only
/// one of them, since QTextDocument falls back to reading local files itself.
class OfflineTextDocument final : public QTextDocument {
    Q_OBJECT

public:
    explicit OfflineTextDocument(QObject *parent = nullptr);

    /// Every resource the document asked for and did not get, oldest first (capped).
    QList<QUrl> blockedUrls() const { return m_blocked; }
    void clearBlockedUrls() { m_blocked.clear(); }

Q_SIGNALS:
    void resourceBlocked(const QUrl &url);

protected:
    QVariant loadResource(int type, const QUrl &name) override;

private:
    QList<QUrl> m_blocked;
};

} // namespace rs::ui
