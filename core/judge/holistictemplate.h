#pragma once

#include "judgetemplate.h"

#include <QList>
#include <QString>

namespace rs::judge {

/// The holistic question of an implicit rubric (Aggregation::Implicit, as in RaR): one call per
/// response and grading, the rubric's guidance criteria listed with their weights, answered
/// {"score": 1..10, "explanation"}. The wording is fixed rather than the run's template, whose
/// instructions ask for yes/no verdicts; its version enters every score's guidance hash, so a
/// new wording asks again instead of reusing scores given to the old one.
class HolisticTemplate final {
public:
    HolisticTemplate();

    static QString version(); ///< "holistic-v1"
    static QString defaultSystem();
    static QString defaultUser();
    /// The JSON schema of the answer: score an integer enum 1..10 (portable where numeric
    /// bounds are not: Anthropic's structured output refuses minimum/maximum), explanation a
    /// string, both required, nothing else.
    static QString answerSchema();

    /// The request, fenced and laid out as a joint judge call (prompt and guidance shared by
    /// every response of the prompt, the response last), weights always shown.
    llm::LlmRequest render(const QString &prompt, const QString &response,
                           const QList<JudgedCriterion> &guidance) const;

private:
    JudgeTemplate m_template;
};

/// The identity of an implicit rubric's guidance for holistic scores: the template version
/// and each guidance criterion's id, text and weight, exactly what the judge is shown. It keys
/// holistic_scores as criterionHash keys verdicts, and differs from every criterion hash.
qint64 guidanceHash(const QList<JudgedCriterion> &guidance);

/// Whether a criterion of a rubric is guidance for the holistic score rather than judged on
/// its own: only under an implicit aggregation, and never a check (evaluated locally) or a veto
/// (judged as a criterion, so that failing it can cap the reward).
inline bool isGuidance(bool implicit, bool isCheck, bool veto) {
    return implicit && !isCheck && !veto;
}

} // namespace rs::judge
