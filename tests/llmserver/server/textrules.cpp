#include "textrules.h"

#include <QRegularExpression>
#include <QSet>

#include <cctype>

namespace rs::llmserver::text {

qsizetype codePointCount(QStringView s) {
    qsizetype n = 0;
    for (const QChar c : s)
        if (!c.isLowSurrogate())
            ++n;
    return n;
}

QString firstCodePoints(const QString &s, qsizetype n) {
    qsizetype units = 0;
    for (qsizetype seen = 0; units < s.size() && seen < n; ++seen)
        units += (s.at(units).isHighSurrogate() && units + 1 < s.size()) ? 2 : 1;
    return s.left(units);
}

std::optional<QString> block(QStringView text, QStringView name) {
    const QString open = QStringLiteral("<<<") + name;
    // "<<<NAME#HEX" opens a fence that only "NAME#HEX>>>" closes: the studio draws the nonce per
    // response so the fenced text cannot close its own fence.
    QString close = name + QStringLiteral(">>>");
    const auto opens = [&](QStringView line) {
        if (line == open)
            return true;
        if (!line.startsWith(QString(open + QLatin1Char('#'))) || line.size() == open.size() + 1)
            return false;
        for (const QChar c : line.sliced(open.size() + 1))
            if (c.unicode() > 0x7F || !std::isxdigit(c.unicode()))
                return false;
        close = name + line.sliced(open.size()) + QStringLiteral(">>>");
        return true;
    };
    qsizetype contentStart = -1;
    qsizetype pos = 0;
    while (pos <= text.size()) {
        qsizetype end = text.indexOf(QLatin1Char('\n'), pos);
        if (end < 0)
            end = text.size();
        const QStringView line = text.sliced(pos, end - pos).trimmed();
        if (contentStart < 0) {
            if (opens(line))
                contentStart = end + 1;
        } else if (line == close) {
            // Content ends before the '\n' that precedes the closing marker line.
            const qsizetype contentEnd = qMax(contentStart, pos - 1);
            if (contentStart > text.size())
                return QString();
            QString content = text.sliced(contentStart, contentEnd - contentStart).toString();
            if (content.endsWith(QLatin1Char('\r')))
                content.chop(1);
            return content;
        }
        pos = end + 1;
    }
    return std::nullopt;
}

QStringList letterWords(QStringView text) {
    QStringList words;
    QString current;
    const auto flush = [&] {
        if (!current.isEmpty())
            words.append(current.toLower());
        current.clear();
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        char32_t cp = text.at(i).unicode();
        qsizetype width = 1;
        if (QChar::isHighSurrogate(cp) && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
            cp = QChar::surrogateToUcs4(text.at(i), text.at(i + 1));
            width = 2;
        }
        if (QChar::isLetter(cp))
            current.append(text.sliced(i, width));
        else
            flush();
        i += width - 1;
    }
    flush();
    return words;
}

QStringList distinctWords(QStringView text, int minLetters) {
    QStringList out;
    QSet<QString> seen;
    for (const QString &w : letterWords(text)) {
        if (codePointCount(w) < minLetters || seen.contains(w))
            continue;
        seen.insert(w);
        out.append(w);
    }
    return out;
}

qsizetype wordCount(QStringView text) {
    qsizetype n = 0;
    bool inWord = false;
    for (const QChar c : text) {
        if (c.isSpace()) {
            inWord = false;
        } else if (!inWord) {
            inWord = true;
            ++n;
        }
    }
    return n;
}

QList<Criterion> parseCriteria(QStringView block) {
    static const QRegularExpression line(
        QStringLiteral("^\\s*([A-Za-z][A-Za-z0-9_.-]*)\\s*:\\s*(.*?)\\s*$"));
    QList<Criterion> out;
    for (const QStringView l : block.split(QLatin1Char('\n'))) {
        const auto m = line.match(l);
        if (m.hasMatch() && !m.capturedView(2).isEmpty())
            out.append({m.captured(1), m.captured(2)});
    }
    return out;
}

Verdict judge(QStringView criterion, QStringView response) {
    static const QRegularExpression quoted(QStringLiteral("\"([^\"]+)\""));
    static const QRegularExpression atLeast(QStringLiteral("at least (\\d+) words?"),
                                            QRegularExpression::CaseInsensitiveOption);
    if (const auto m = quoted.match(criterion); m.hasMatch()) {
        const QString term = m.captured(1);
        const bool met = response.contains(term, Qt::CaseInsensitive);
        return {met, met ? QStringLiteral("The response contains \"%1\".").arg(term)
                         : QStringLiteral("The response does not contain \"%1\".").arg(term)};
    }
    const qsizetype words = wordCount(response);
    if (const auto m = atLeast.match(criterion); m.hasMatch()) {
        const qlonglong needed = m.capturedView(1).toLongLong();
        return {words >= needed,
                QStringLiteral("The response has %1 words; at least %2 are required.")
                    .arg(words)
                    .arg(needed)};
    }
    const bool even = words % 2 == 0;
    return {even, QStringLiteral("The response has %1 words, an %2 count.")
                      .arg(words)
                      .arg(even ? QStringLiteral("even") : QStringLiteral("odd"))};
}

} // namespace rs::llmserver::text
