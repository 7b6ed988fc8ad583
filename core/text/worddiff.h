#pragma once

#include <QList>
#include <QString>

namespace rs::text {

/// A word-level diff of two texts: what the second text keeps, drops and adds relative to the
/// first, in the smallest number of inserted plus deleted words.
///
/// Words are runs of non-space characters and are compared exactly; the whitespace after each
/// word travels with it for display, so line breaks of the texts survive into the result.
/// The longest common subsequence is found with Hirschberg's linear-space method after the
/// common head and tail are cut off: memory stays proportional to the texts, time to the
/// product of their word counts, so long responses belong on a worker thread.
class WordDiff final {
public:
    enum class Op { Equal, Delete, Insert };

    struct Span final {
        Op op = Op::Equal;
        QString text;     ///< the words of the span with the spaces between them
        QString trailing; ///< the whitespace after the span's last word
        int words = 0;
    };

    WordDiff(const QString &from, const QString &to);

    /// Equal spans carry the text of `to`, Delete spans that of `from`; a Delete always comes
    /// before the Insert that replaces it, and neighbouring spans never share an op.
    const QList<Span> &spans() const { return m_spans; }
    int commonWords() const { return m_common; }
    int deletedWords() const { return m_deleted; }
    int insertedWords() const { return m_inserted; }

    /// The diff as escaped HTML for a QTextBrowser: deletions struck through on red,
    /// insertions on green, line breaks kept. Nothing in it refers to any resource.
    QString toHtml() const;

    /// The words of `text`, each with the whitespace that follows it (leading whitespace is
    /// dropped).
    struct Token final {
        QString word;
        QString space;
    };
    static QList<Token> tokenize(const QString &text);

private:
    QList<Span> m_spans;
    int m_common = 0;
    int m_deleted = 0;
    int m_inserted = 0;
};

} // namespace rs::text
