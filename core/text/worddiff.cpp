#include "text/worddiff.h"

#include <QHash>

#include <algorithm>
#include <vector>

namespace rs::text {
namespace {

const QString kInsertStyle = QStringLiteral("background-color:#c8efc4;color:#0f4d12;");
const QString kDeleteStyle =
    QStringLiteral("background-color:#f7cdcd;color:#7d1414;text-decoration:line-through;");

/// Longest common subsequence of two id sequences as matched index pairs, ascending.
class Lcs final {
public:
    Lcs(const std::vector<int> &a, const std::vector<int> &b)
        : m_a(a)
        , m_b(b)
    {
        solve(0, int(a.size()), 0, int(b.size()));
    }

    std::vector<std::pair<int, int>> matches;

private:
    // Both ends first: responses often share an opening or closing and the quadratic part
    // then only runs over the middle.
    void solve(int a0, int a1, int b0, int b1)
    {
        while (a0 < a1 && b0 < b1 && m_a[a0] == m_b[b0])
            matches.emplace_back(a0++, b0++);
        int tail = 0;
        while (a0 < a1 - tail && b0 < b1 - tail && m_a[a1 - 1 - tail] == m_b[b1 - 1 - tail])
            ++tail;
        a1 -= tail;
        b1 -= tail;
        if (a0 < a1 && b0 < b1) {
            if (a1 - a0 == 1) {
                for (int j = b0; j < b1; ++j) {
                    if (m_b[j] == m_a[a0]) {
                        matches.emplace_back(a0, j);
                        break;
                    }
                }
            } else if (b1 - b0 == 1) {
                for (int i = a0; i < a1; ++i) {
                    if (m_a[i] == m_b[b0]) {
                        matches.emplace_back(i, b0);
                        break;
                    }
                }
            } else {
                // Hirschberg: split `a` in half and find where the best path crosses `b`.
                const int mid = a0 + (a1 - a0) / 2;
                const std::vector<int> front = forwardRow(a0, mid, b0, b1);
                const std::vector<int> back = backwardRow(mid, a1, b0, b1);
                const int width = b1 - b0;
                int split = 0;
                int best = -1;
                for (int j = 0; j <= width; ++j) {
                    const int total = front[j] + back[width - j];
                    if (total > best) {
                        best = total;
                        split = j;
                    }
                }
                solve(a0, mid, b0, b0 + split);
                solve(mid, a1, b0 + split, b1);
            }
        }
        for (int t = 0; t < tail; ++t)
            matches.emplace_back(a1 + t, b1 + t);
    }

    /// LCS lengths of a[a0, a1) with every prefix b[b0, b0 + j).
    std::vector<int> forwardRow(int a0, int a1, int b0, int b1) const
    {
        const int width = b1 - b0;
        std::vector<int> row(width + 1, 0), previous(width + 1, 0);
        for (int i = a0; i < a1; ++i) {
            std::swap(row, previous);
            row[0] = 0;
            for (int j = 1; j <= width; ++j)
                row[j] = m_a[i] == m_b[b0 + j - 1] ? previous[j - 1] + 1
                                                   : std::max(previous[j], row[j - 1]);
        }
        return row;
    }

    /// LCS lengths of a[a0, a1) with every suffix of b[b0, b1) of length j.
    std::vector<int> backwardRow(int a0, int a1, int b0, int b1) const
    {
        const int width = b1 - b0;
        std::vector<int> row(width + 1, 0), previous(width + 1, 0);
        for (int i = a1 - 1; i >= a0; --i) {
            std::swap(row, previous);
            row[0] = 0;
            for (int j = 1; j <= width; ++j)
                row[j] =
                    m_a[i] == m_b[b1 - j] ? previous[j - 1] + 1 : std::max(previous[j], row[j - 1]);
        }
        return row;
    }

    const std::vector<int> &m_a;
    const std::vector<int> &m_b;
};

QString htmlText(const QString &text)
{
    QString out = text.toHtmlEscaped();
    out.replace(QLatin1Char('\n'), QLatin1String("<br>"));
    return out;
}

} // namespace

QList<WordDiff::Token> WordDiff::tokenize(const QString &text)
{
    QList<Token> tokens;
    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n && text.at(i).isSpace())
        ++i;
    while (i < n) {
        const qsizetype wordStart = i;
        while (i < n && !text.at(i).isSpace())
            ++i;
        const qsizetype spaceStart = i;
        while (i < n && text.at(i).isSpace())
            ++i;
        tokens.append(Token{text.mid(wordStart, spaceStart - wordStart),
                            text.mid(spaceStart, i - spaceStart)});
    }
    return tokens;
}

WordDiff::WordDiff(const QString &from, const QString &to)
{
    const QList<Token> a = tokenize(from);
    const QList<Token> b = tokenize(to);
    QHash<QString, int> ids;
    const auto idsOf = [&ids](const QList<Token> &tokens) {
        std::vector<int> out;
        out.reserve(tokens.size());
        for (const Token &t : tokens) {
            auto it = ids.constFind(t.word);
            if (it == ids.cend())
                it = ids.insert(t.word, int(ids.size()));
            out.push_back(it.value());
        }
        return out;
    };
    const std::vector<int> aIds = idsOf(a);
    const std::vector<int> bIds = idsOf(b);
    const Lcs lcs(aIds, bIds);

    const auto append = [this](Op op, const Token &token) {
        if (m_spans.isEmpty() || m_spans.last().op != op) {
            m_spans.append(Span{op, token.word, token.space, 1});
            return;
        }
        Span &span = m_spans.last();
        span.text += span.trailing + token.word;
        span.trailing = token.space;
        ++span.words;
    };
    int i = 0;
    int j = 0;
    const auto flushTo = [&](int ai, int bj) {
        for (; i < ai; ++i, ++m_deleted)
            append(Op::Delete, a[i]);
        for (; j < bj; ++j, ++m_inserted)
            append(Op::Insert, b[j]);
    };
    for (const auto &[ai, bj] : lcs.matches) {
        flushTo(ai, bj);
        append(Op::Equal, b[j]);
        ++i;
        ++j;
        ++m_common;
    }
    flushTo(int(a.size()), int(b.size()));
}

QString WordDiff::toHtml() const
{
    QString html;
    for (qsizetype i = 0; i < m_spans.size(); ++i) {
        const Span &span = m_spans[i];
        switch (span.op) {
        case Op::Equal:
            html += htmlText(span.text);
            break;
        case Op::Delete:
            html += QLatin1String("<span style=\"") + kDeleteStyle + QLatin1String("\">") +
                    htmlText(span.text) + QLatin1String("</span>");
            break;
        case Op::Insert:
            html += QLatin1String("<span style=\"") + kInsertStyle + QLatin1String("\">") +
                    htmlText(span.text) + QLatin1String("</span>");
            break;
        }
        // A span that ended its own text has no whitespace after it, yet the next span (from
        // the other text) is another word: keep the two apart.
        const bool last = i + 1 == m_spans.size();
        html += span.trailing.isEmpty() && !last ? QStringLiteral(" ") : htmlText(span.trailing);
    }
    return html;
}

} // namespace rs::text
