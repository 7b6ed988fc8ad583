#include "mechanicalcriterion.h"

#include <QRegularExpression>

namespace rs::rubric {
namespace {

using MechRe = QRegularExpression;

// "at least 50 words", "no more than 1,000 characters", "under 200 words".
std::optional<CheckSpec> mechanicalLimit(const QString &text) {
    static const MechRe re(
        QStringLiteral("\\b(at\\s+least|a\\s+minimum\\s+of|more\\s+than|over|at\\s+most|"
                       "no\\s+more\\s+than|a\\s+maximum\\s+of|not\\s+exceed(?:ing)?|fewer\\s+than|"
                       "less\\s+than|under)\\s+([0-9][0-9,]*)\\s+(words?|characters?|chars?)\\b"),
        MechRe::CaseInsensitiveOption);
    const auto m = re.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    const QString bound = m.captured(1).toLower().simplified();
    bool ok = false;
    qint64 n = m.captured(2).remove(QLatin1Char(',')).toLongLong(&ok);
    if (!ok)
        return std::nullopt;
    const bool words = m.captured(3).startsWith(QLatin1String("word"), Qt::CaseInsensitive);
    const bool atLeast = bound == QLatin1String("at least") ||
                         bound.startsWith(QLatin1String("a min")) ||
                         bound == QLatin1String("more than") || bound == QLatin1String("over");
    // Strict bounds move by one so the check means exactly what the sentence says.
    if (bound == QLatin1String("more than") || bound == QLatin1String("over"))
        ++n;
    if (bound == QLatin1String("fewer than") || bound == QLatin1String("less than") ||
        bound == QLatin1String("under"))
        n = std::max<qint64>(0, n - 1);
    CheckSpec s;
    s.type = atLeast ? (words ? CheckType::MinWords : CheckType::MinChars)
                     : (words ? CheckType::MaxWords : CheckType::MaxChars);
    s.value = n;
    return s;
}

std::optional<CheckSpec> mechanicalFormat(const QString &text) {
    static const MechRe json(QStringLiteral("\\b(valid\\s+JSON|(formatted|written)\\s+(as|in)\\s+"
                                            "JSON|JSON\\s+(object|format))\\b"),
                             MechRe::CaseInsensitiveOption);
    if (json.match(text).hasMatch()) {
        CheckSpec s;
        s.type = CheckType::Json;
        return s;
    }
    // The verb right before the structure, with nothing in between but a count: "uses clear
    // headings" asks the judge whether they are clear, which no check can say.
    static const MechRe md(
        QStringLiteral(
            "\\b(?:uses?|includes?|contains?|has|have)\\s+(?:at\\s+least\\s+([0-9]+)\\s+|"
            "an?\\s+)?(bullet(?:ed)?\\s+(?:points?|lists?)|bullets|headers?|headings?|"
            "(?:fenced\\s+)?code\\s+blocks?)\\b"),
        MechRe::CaseInsensitiveOption);
    if (const auto m = md.match(text); m.hasMatch()) {
        const qint64 n = m.captured(1).isEmpty() ? 1 : m.captured(1).toLongLong();
        const QString what = m.captured(2).toLower();
        CheckSpec s;
        s.type = CheckType::Markdown;
        if (what.startsWith(QLatin1String("bullet")))
            s.minBullets = std::max<qint64>(n, what.endsWith(QLatin1Char('s')) ? 2 : 1);
        else if (what.startsWith(QLatin1String("head")))
            s.minHeaders = n;
        else
            s.minCodeBlocks = n;
        return s;
    }
    return std::nullopt;
}

// "mentions the word "refund"", "does not use the phrase 'as an AI'".
std::optional<CheckSpec> mechanicalPhrase(const QString &text) {
    static const MechRe re(
        QStringLiteral("\\b(does\\s+not\\s+|doesn't\\s+|never\\s+)?(contains?|includes?|"
                       "mentions?|uses?|says?)\\s+the\\s+(?:exact\\s+)?(?:word|phrase|term)\\s+"
                       "[\"“'‘]([^\"”'’]+)[\"”'’]"),
        MechRe::CaseInsensitiveOption);
    const auto m = re.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    CheckSpec s;
    s.type = m.captured(1).isEmpty() ? CheckType::Contains : CheckType::NotContains;
    s.phrases = {m.captured(3)};
    return s;
}

} // namespace

std::optional<CheckSpec> suggestCheck(const QString &criterionText) {
    if (auto s = mechanicalLimit(criterionText))
        return s;
    if (auto s = mechanicalPhrase(criterionText))
        return s;
    return mechanicalFormat(criterionText);
}

} // namespace rs::rubric
