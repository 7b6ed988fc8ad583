#include "lint.h"

#include "mechanicalcriterion.h"
#include "textsimilarity.h"

#include <QRegularExpression>

#include <algorithm>

namespace rs::rubric {
namespace {

using Re = QRegularExpression;

// Two checks joined: "X and Y" where both sides have a verb of their own is two criteria a
// judge must grade as one, so a response meeting half of it gets an arbitrary verdict. A
// joined list of nouns ("cause and effect") is fine, so we look for a verb-like word after
// the conjunction.
bool isCompound(const QString &text, QString *joiner) {
    static const Re re(
        QStringLiteral("\\b(and|or)\\s+(?:also\\s+|then\\s+|it\\s+)?"
                       "(?:does\\s+not\\s+|doesn't\\s+)?"
                       "(explains?|mentions?|states?|includes?|provides?|gives?|describes?|"
                       "lists?|notes?|uses?|avoids?|cites?|recommends?|suggests?|identifies?|"
                       "discusses?|addresses?|acknowledges?|offers?|asks?|warns?|defines?|"
                       "shows?|keeps?|is|are|has|have|does|answers?)\\b"),
        Re::CaseInsensitiveOption);
    const auto m = re.match(text);
    if (!m.hasMatch())
        return false;
    *joiner = m.captured(1).toLower();
    return true;
}

// A vague adjective or adverb with nothing that says how to judge it. "Accurate dosage
// (500 mg)" or "relevant to the user's age" has an object; "is accurate" has none.
bool vagueWord(const QString &text, QString *word) {
    static const Re re(
        QStringLiteral("\\b(good|appropriate(?:ly)?|accurate(?:ly)?|adequate(?:ly)?|relevant|"
                       "proper(?:ly)?|clear(?:ly)?|helpful|reasonable|sufficient(?:ly)?|"
                       "well[- ]written|high[- ]quality|comprehensive|thorough(?:ly)?|nice)\\b"
                       "(?!\\s+(?:to|for|about|on|in|regarding|with|as|that)\\b)"),
        Re::CaseInsensitiveOption);
    // Concrete anchors: numbers, quotes, parenthesised examples, "e.g.", "such as", "at least".
    static const Re anchor(QStringLiteral("[0-9]|\"|“|\\(|\\be\\.g\\.|\\bsuch as\\b|\\bat least\\b|"
                                          "\\bat most\\b|\\bspecifically\\b|\\bnamely\\b|:"),
                           Re::CaseInsensitiveOption);
    const auto m = re.match(text);
    if (!m.hasMatch() || anchor.match(text).hasMatch())
        return false;
    // An adverb ("clearly provides a week-by-week breakdown") qualifies a check that says what
    // to look for; it is vague only when little else is said.
    if (m.captured(1).endsWith(QLatin1String("ly"), Qt::CaseInsensitive) &&
        TextSimilarity::tokens(text).size() >= 6)
        return false;
    *word = m.captured(1).toLower();
    return true;
}

bool negativePhrase(const QString &text, QString *phrase) {
    static const Re re(QStringLiteral("\\b(does\\s+not|doesn't|do\\s+not|don't|fails?\\s+to|"
                                      "avoids?|never|neglects?\\s+to|omits?|lacks?)\\b"),
                       Re::CaseInsensitiveOption);
    const auto m = re.match(text);
    if (!m.hasMatch())
        return false;
    *phrase = m.captured(1).toLower().simplified();
    return true;
}

QString number(double v) {
    return QString::number(v, 'g', 6);
}

} // namespace

QString lintRuleName(LintRule rule) {
    switch (rule) {
    case LintRule::Empty:
        return QStringLiteral("empty");
    case LintRule::Overlong:
        return QStringLiteral("overlong");
    case LintRule::Compound:
        return QStringLiteral("compound");
    case LintRule::Vague:
        return QStringLiteral("vague");
    case LintRule::Negative:
        return QStringLiteral("negative");
    case LintRule::NearDuplicate:
        return QStringLiteral("near-duplicate");
    case LintRule::WeightRange:
        return QStringLiteral("weight-range");
    case LintRule::Mechanical:
        return QStringLiteral("mechanical");
    }
    return {};
}

QList<LintIssue> lintCriteria(const QList<CriterionRecord> &criteria, const QString &scoring) {
    const bool points = scoring == QLatin1String("points");
    QList<LintIssue> out;
    for (int i = 0; i < criteria.size(); ++i) {
        const CriterionRecord &c = criteria[i];
        const QString text = c.text.trimmed();
        auto add = [&](LintRule r, const QString &reason) { out.push_back({i, r, reason}); };
        if (text.isEmpty()) {
            add(LintRule::Empty,
                QStringLiteral("The criterion has no text; a judge cannot grade it."));
        } else {
            if (text.size() > kMaxCriterionChars)
                add(LintRule::Overlong,
                    QStringLiteral("%1 characters (over %2): long criteria usually bundle several "
                                   "checks; split it.")
                        .arg(text.size())
                        .arg(kMaxCriterionChars));
            QString w;
            if (isCompound(text, &w))
                add(LintRule::Compound,
                    QStringLiteral("\"%1\" joins two checks; a response meeting "
                                   "one of them gets an arbitrary verdict. Split it.")
                        .arg(w));
            if (vagueWord(text, &w))
                add(LintRule::Vague, QStringLiteral("\"%1\" is vague without saying what counts; "
                                                    "name the fact, number or example to check.")
                                         .arg(w));
            // In points scoring a pitfall is written as the bad behaviour with negative points;
            // everywhere else "yes" must mean good.
            const bool pitfall =
                c.category.compare(QLatin1String("pitfall"), Qt::CaseInsensitive) == 0 ||
                (points && c.weight < 0);
            if (!pitfall && negativePhrase(text, &w))
                add(LintRule::Negative,
                    QStringLiteral("\"%1\" makes \"yes\" mean the absence of something; phrase it "
                                   "positively or mark it a pitfall.")
                        .arg(w));
            for (int j = 0; j < criteria.size(); ++j) {
                if (j == i || criteria[j].text.trimmed().isEmpty())
                    continue;
                const double s = TextSimilarity::similarity(text, criteria[j].text);
                if (s >= kDuplicateSimilarity) {
                    add(LintRule::NearDuplicate,
                        QStringLiteral(
                            "Nearly the same as %1 (%2% similar); the check counts twice.")
                            .arg(criteria[j].stableId.isEmpty()
                                     ? QStringLiteral("criterion %1").arg(j + 1)
                                     : criteria[j].stableId)
                            .arg(qRound(s * 100)));
                    break;
                }
            }
            if (c.checkJson.isEmpty())
                if (const auto check = suggestCheck(text)) {
                    add(LintRule::Mechanical,
                        QStringLiteral("Code can decide this exactly, with no judge: make it "
                                       "a check (%1).")
                            .arg(checkSummary(*check)));
                    out.back().suggestedCheck = checkToText(*check);
                }
        }
        if (points) {
            if (c.weight == 0 || c.weight < -kMaxWeight || c.weight > kMaxWeight)
                add(LintRule::WeightRange,
                    QStringLiteral("%1 points: points must be non-zero, from -%2 to %2.")
                        .arg(number(c.weight), number(kMaxWeight)));
        } else if (c.weight <= 0 || c.weight > kMaxWeight) {
            add(LintRule::WeightRange,
                QStringLiteral("Weight %1: weights must be above 0 and at most %2.")
                    .arg(number(c.weight), number(kMaxWeight)));
        }
    }
    return out;
}

} // namespace rs::rubric
