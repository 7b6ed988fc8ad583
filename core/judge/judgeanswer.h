#pragma once

#include "common/error.h"
#include "llm/llmrequest.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>

namespace rs::judge {

struct ParsedVerdict final {
    bool met = false;
    QString reason;
};

/// A joint answer: verdicts by criterion id. Ids the judge left out are listed in `missing`
/// (scored as "no" or dropped, a scoring setting); ids it invented are ignored.
struct JointAnswer final {
    QHash<QString, ParsedVerdict> verdicts;
    QStringList missing;
};

/// Parses {"c1": "yes", "c2": {"verdict": "no", "reason": "..."}, ...}, also from fenced or
/// chatty text, accepting yes/no, true/false, met/not met, 1/0. Fails when no expected id is
/// answered at all, so an off-topic answer is retried rather than read as all "no".
Expected<JointAnswer> parseJointAnswer(const QString &raw, const QStringList &expectedIds);

/// Parses {"explanation": "...", "criteria_met": true|false} (HealthBench style).
Expected<ParsedVerdict> parsePerCriterionAnswer(const QString &raw);

/// A soft verdict: P(yes) and where it came from.
struct ProbabilityAnswer final {
    double pYes = 0;
    bool fromLogprobs = false; ///< else read from the text: 1 or 0, a vote
};

/// P(yes) from the first answer token's alternatives: the mass of the yes variants ("yes",
/// " Yes", "YES", ...) over yes + no. When neither is among them, the answer's text decides
/// (a bare yes/no, or JSON with one yes/no value, as a constrained re-ask gives): P = 1 or 0.
/// Fails when neither works; the caller then asks again with the answer constrained.
Expected<ProbabilityAnswer>
parseProbabilityAnswer(const QString &raw, const QList<llm::TokenLogprob> &firstTokenLogprobs);

/// A holistic score of an implicit rubric.
struct HolisticAnswer final {
    int score = 0; ///< 1..10
    QString explanation;
};

/// Parses {"score": 7, "explanation": "..."}, also fenced or chatty; without any JSON object,
/// a bare "7" or "7/10". Strict: the score is a whole JSON number from 1 to 10. 11, 0, 7.5,
/// "7" and "seven" are errors, never clamped or guessed, so a judge that misreads the scale is
/// asked again and then reported. The pack's reward.py parses exactly the same way.
Expected<HolisticAnswer> parseHolisticAnswer(const QString &raw);

} // namespace rs::judge
