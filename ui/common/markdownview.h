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

    /// Beyond this many characters only the start is rendered, with a "Show all" link: Markdown
    /// import and layout grow with the text, and a 10 MB response would freeze the window.
    static constexpr qsizetype kRenderLimit = 100'000;
    /// A text with a paragraph longer than this is shown as plain text (see render()).
    static constexpr qsizetype kParagraphLimit = 8'000;
    /// Length of the longest run of text without a blank line.
    static qsizetype longestParagraph(const QString &text);

    /// Renders `markdown` (GitHub dialect) and scrolls to the top; the first kRenderLimit
    /// characters of a longer text.
    void showMarkdown(const QString &markdown);
    /// Whether the shown text is cut short (showAll() lifts that).
    bool isTruncated() const { return m_truncated; }
    /// Shows the whole text, as plain text: what a user asking for all of a huge response wants
    /// is the text, and plain layout is far cheaper than Markdown import.
    void showAll();
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
    void render(const QString &markdown);
    void polishBlocks();

    OfflineTextDocument *m_document = nullptr;
    QString m_markdown;
    bool m_truncated = false;
};

} // namespace rs::ui
