#pragma once

#include "domain/records.h"

#include <QList>
#include <QString>

namespace rs::rubric {

enum class LintRule {
    Empty,         ///< no text
    Overlong,      ///< more than kMaxCriterionChars characters
    Compound,      ///< "and"/"or" joining two checks
    Vague,         ///< a vague word (good, appropriate, ...) with nothing to measure it by
    Negative,      ///< "does not", "fails to", "avoids" where yes must mean good
    NearDuplicate, ///< very similar to another criterion of the rubric
    WeightRange,   ///< weight or points outside what the scoring format allows
    Mechanical,    ///< a judged criterion that code can decide ("at least 50 words")
};

QString lintRuleName(LintRule rule); ///< "compound", "vague", ...

struct LintIssue final {
    int criterion = 0; ///< index into the linted list
    LintRule rule = LintRule::Empty;
    QString reason; ///< one line a user can act on
    QString suggestedCheck; ///< Mechanical: the canonical check JSON that would decide it
};

inline constexpr int kMaxCriterionChars = 300;
inline constexpr double kMaxWeight = 10;
inline constexpr double kDuplicateSimilarity = 0.75;

/// Checks a rubric's criteria. `scoring` is "weights" (yes = good, weight > 0 and <= 10) or
/// "points" (negative points mark a pitfall, -10..10, non-zero). Issues come sorted by
/// criterion, at most one per rule and criterion.
QList<LintIssue> lintCriteria(const QList<CriterionRecord> &criteria, const QString &scoring);

} // namespace rs::rubric
