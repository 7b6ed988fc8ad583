#include "common/markdownview.h"

#include "common/offlinetextdocument.h"

#include <QRegularExpression>
#include <QTextDocument>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocumentFragment>
#include <QToolTip>

#include <algorithm>

namespace rs::ui {

namespace {
// The "Show all" link of a truncated text; harmless if a response links to it too.
const QString kShowAllScheme = QStringLiteral("rubric-studio-show-all");
} // namespace

MarkdownView::MarkdownView(QWidget *parent)
    : QTextBrowser(parent)
    , m_document(new OfflineTextDocument(this))
{
    setDocument(m_document);
    m_document->setDocumentMargin(10);
    m_document->setUndoRedoEnabled(false); // read-only text: an undo history is only memory
    setOpenLinks(false);
    setOpenExternalLinks(false);
    setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard |
                            Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    connect(m_document, &OfflineTextDocument::resourceBlocked, this,
            &MarkdownView::resourceBlocked);
    // A link's target is worth seeing (a response citing a source), so hovering shows it;
    // clicking does nothing because opening untrusted URLs is not the reader's job.
    connect(this, &QTextBrowser::highlighted, this, [this](const QUrl &url) {
        if (url.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(QCursor::pos(),
                               tr("%1\n(links are not opened)").arg(url.toDisplayString()), this);
    });
    connect(this, &QTextBrowser::anchorClicked, this, [this](const QUrl &url) {
        if (url.scheme() == kShowAllScheme)
            showAll();
    });
}

void MarkdownView::showMarkdown(const QString &markdown)
{
    m_markdown = markdown;
    m_document->clearBlockedUrls();
    m_truncated = markdown.size() > kRenderLimit;
    if (!m_truncated) {
        render(closeVoidHtmlTags(markdown));
        moveCursor(QTextCursor::Start);
        return;
    }
    // Cut at a line break near the limit so a paragraph or code fence is not split mid-line.
    qsizetype cut = markdown.lastIndexOf(QLatin1Char('\n'), kRenderLimit);
    if (cut < kRenderLimit / 2)
        cut = kRenderLimit;
    render(closeVoidHtmlTags(markdown.left(cut)));
    QTextCursor end(m_document);
    end.movePosition(QTextCursor::End);
    end.insertBlock();
    QTextCharFormat note;
    note.setFontItalic(true);
    end.insertText(tr("Showing %L1 of %L2 characters. ").arg(cut).arg(markdown.size()), note);
    QTextCharFormat link;
    link.setAnchor(true);
    link.setAnchorHref(kShowAllScheme + QStringLiteral(":all"));
    link.setForeground(palette().color(QPalette::Link));
    link.setFontUnderline(true);
    end.insertText(tr("Show all"), link);
    moveCursor(QTextCursor::Start);
}

qsizetype MarkdownView::longestParagraph(const QString &text)
{
    qsizetype longest = 0;
    qsizetype start = 0;
    while (start < text.size()) {
        qsizetype end = text.indexOf(QStringLiteral("\n\n"), start);
        if (end < 0)
            end = text.size();
        longest = std::max(longest, end - start);
        start = end + 2;
    }
    return longest;
}

void MarkdownView::render(const QString &markdown)
{
    // Imported into a document with no layout attached, then moved in as one fragment: the
    // view's document would otherwise lay itself out again after every inserted run of text,
    // which took minutes for a 100 KB response with many short paragraphs.
    QTextDocument staging;
    // Qt's Markdown import re-lays out the current paragraph for every inline run it adds, so
    // its cost grows with the square of a paragraph's length (14 s for one 100 KB paragraph).
    // Text with such a paragraph is shown as plain text, which is linear.
    if (longestParagraph(markdown) > kParagraphLimit)
        staging.setPlainText(markdown);
    else
        staging.setMarkdown(markdown);
    m_document->clear();
    QTextCursor cursor(m_document);
    cursor.beginEditBlock();
    cursor.insertFragment(QTextDocumentFragment(&staging));
    polishBlocks();
    cursor.endEditBlock();
}

void MarkdownView::showAll()
{
    if (!m_truncated)
        return;
    m_truncated = false;
    setPlainText(m_markdown);
    moveCursor(QTextCursor::Start);
}

void MarkdownView::polishBlocks()
{
    // Qt's Markdown import sizes headings for documents, not for a reading pane beside a
    // table, and gives code blocks no background, so code runs into the prose around it.
    const QColor codeBackground = palette().color(QPalette::AlternateBase);
    for (QTextBlock block = m_document->begin(); block.isValid(); block = block.next()) {
        QTextBlockFormat format = block.blockFormat();
        QTextCursor cursor(block);
        if (const int level = format.headingLevel(); level > 0) {
            format.setTopMargin(level <= 2 ? 12 : 8);
            format.setBottomMargin(4);
            cursor.setBlockFormat(format);
            cursor.movePosition(QTextCursor::EndOfBlock, QTextCursor::KeepAnchor);
            QTextCharFormat heading;
            heading.setProperty(QTextFormat::FontSizeAdjustment, qMax(0, 3 - level));
            heading.setFontWeight(QFont::Bold);
            cursor.mergeCharFormat(heading);
        } else if (format.nonBreakableLines()) {
            format.setBackground(codeBackground);
            format.setLeftMargin(4);
            format.setRightMargin(4);
            cursor.setBlockFormat(format);
        }
    }
}

QString MarkdownView::closeVoidHtmlTags(const QString &markdown)
{
    static const QRegularExpression voidTag(
        QStringLiteral("<(area|base|br|col|embed|hr|img|input|link|meta|source|track|wbr)"
                       "(\\s[^<>]*?)?\\s*(?<!/)>"),
        QRegularExpression::CaseInsensitiveOption);
    if (!markdown.contains(QLatin1Char('<')))
        return markdown;
    const auto closeTags = [](const QString &text) {
        QString out = text;
        out.replace(voidTag, QStringLiteral("<\\1\\2 />"));
        return out;
    };
    QStringList lines = markdown.split(QLatin1Char('\n'));
    QString fence; // the open code fence ("```" or "~~~"), empty outside code blocks
    bool previousBlank = true;
    for (QString &line : lines) {
        const QString trimmed = line.trimmed();
        if (!fence.isEmpty()) {
            if (trimmed.startsWith(fence))
                fence.clear();
            continue;
        }
        if (trimmed.startsWith(QLatin1String("```")) || trimmed.startsWith(QLatin1String("~~~"))) {
            fence = trimmed.left(3);
            continue;
        }
        // An indented code block (after a blank line) is literal text as well.
        const bool indentedCode = previousBlank && (line.startsWith(QLatin1String("    ")) ||
                                                    line.startsWith(QLatin1Char('\t')));
        previousBlank = trimmed.isEmpty();
        if (indentedCode || !line.contains(QLatin1Char('<')))
            continue;
        // Code spans are literal too: rewrite only the stretches between backtick pairs.
        QStringList parts = line.split(QLatin1Char('`'));
        for (qsizetype i = 0; i < parts.size(); i += 2)
            parts[i] = closeTags(parts[i]);
        line = parts.join(QLatin1Char('`'));
    }
    return lines.join(QLatin1Char('\n'));
}

QList<QUrl> MarkdownView::blockedUrls() const
{
    return m_document->blockedUrls();
}

QVariant MarkdownView::loadResource(int type, const QUrl &name)
{
    Q_UNUSED(type)
    Q_EMIT resourceBlocked(name);
    return {};
}

} // namespace rs::ui
