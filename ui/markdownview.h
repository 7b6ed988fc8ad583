#pragma once

#include <QTextBrowser>

namespace rs::ui {

class OfflineTextDocument;

/// Read-only Markdown rendering of untrusted text (responses, prompts) that loads no remote
/// or local content and opens nothing: links are shown, never followed.
class MarkdownView final : public QTextBrowser {
    Q_OBJECT

public:
    explicit MarkdownView(QWidget *parent = nullptr);

    /// Renders `markdown` (GitHub dialect) and scrolls to the top.
    void showMarkdown(const QString &markdown);
    /// The Markdown last shown, verbatim.
    QString markdown() const { return m_markdown; }

    /// Resources the shown text asked for and did not get.
    QList<QUrl> blockedUrls() const;

    /// Rewrites unclosed HTML void elements outside code ("<br>", "<img src=…>") into their
    /// self-closed form. Qt 6.4's Markdown import drops everything after an unclosed one, so a
    /// response with a single <br> would otherwise be cut short without a trace.
    static QString closeVoidHtmlTags(const QString &markdown);

    /// Loads nothing. QTextBrowser would read local files and qrc: paths here; the document
    /// underneath refuses as well, so neither route can fetch anything.
    QVariant loadResource(int type, const QUrl &name) override;

Q_SIGNALS:
    void resourceBlocked(const QUrl &url);

private:
    void polishBlocks();

    OfflineTextDocument *m_document = nullptr;
    QString m_markdown;
};

} // namespace rs::ui
