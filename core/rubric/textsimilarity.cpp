#include "textsimilarity.h"

#include <QRegularExpression>

#include <algorithm>

namespace rs::rubric {
namespace {

// Words that carry no meaning of their own in a criterion ("the response mentions the ...").
const QSet<QString> &stopWords() {
    static const QSet<QString> words = [] {
        QSet<QString> s;
        for (const char *w :
             {"a",  "an",   "the",      "of",     "to",    "in",   "on",   "for",    "and",    "or",
              "is", "are",  "be",       "it",     "its",   "that", "this", "with",   "as",     "by",
              "at", "from", "response", "answer", "model", "does", "do",   "should", "whether"})
            s.insert(QString::fromLatin1(w));
        return s;
    }();
    return words;
}

QSet<QString> trigrams(const QString &normalised) {
    QSet<QString> out;
    const QString padded = QLatin1Char(' ') + normalised + QLatin1Char(' ');
    for (qsizetype i = 0; i + 3 <= padded.size(); ++i)
        out.insert(padded.mid(i, 3));
    return out;
}

} // namespace

QString TextSimilarity::normalise(const QString &text) {
    static const QRegularExpression numbering(
        QStringLiteral("^\\s*(?:[-*•]|\\(?[0-9]{1,3}[.):]|\\(?[a-z][.)]|c[0-9]+\\s*[:.)-])\\s*"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression nonWord(QStringLiteral("[^\\w]+"),
                                            QRegularExpression::UseUnicodePropertiesOption);
    QString t = text;
    t.remove(numbering);
    t = t.toLower();
    t.replace(nonWord, QStringLiteral(" "));
    return t.simplified();
}

QStringList TextSimilarity::tokens(const QString &text) {
    QStringList out;
    const auto &stop = stopWords();
    for (const QString &w : normalise(text).split(QLatin1Char(' '), Qt::SkipEmptyParts))
        if (!stop.contains(w))
            out << w;
    return out;
}

double TextSimilarity::similarity(const QString &a, const QString &b) {
    const QString na = normalise(a), nb = normalise(b);
    if (na == nb)
        return 1.0;
    if (na.isEmpty() || nb.isEmpty())
        return 0.0;
    const QStringList ta = tokens(a), tb = tokens(b);
    const QSet<QString> wa(ta.begin(), ta.end()), wb(tb.begin(), tb.end());
    const qsizetype unionSize = (wa | wb).size();
    const double jaccard = unionSize ? double((wa & wb).size()) / double(unionSize) : 0.0;
    const QSet<QString> ga = trigrams(na), gb = trigrams(nb);
    const double dice = 2.0 * double((ga & gb).size()) / double(ga.size() + gb.size());
    return 0.5 * (jaccard + dice);
}

double TextSimilarity::containment(const QString &part, const QString &whole) {
    const QStringList tp = tokens(part), tw = tokens(whole);
    const QSet<QString> wp(tp.begin(), tp.end()), ww(tw.begin(), tw.end());
    const qsizetype smaller = std::min(wp.size(), ww.size());
    if (smaller == 0)
        return 0.0;
    return double((wp & ww).size()) / double(smaller);
}

} // namespace rs::rubric
