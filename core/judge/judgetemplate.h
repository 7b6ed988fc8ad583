#pragma once

#include "judgeconfig.h"
#include "llm/llmrequest.h"

#include <QList>
#include <QString>

namespace rs::judge {

/// A response a human decided for a criterion, shown to the judge as an example (few-shot
/// from corrections).
struct CriterionExample final {
    QString excerpt; ///< the response, cut to a few hundred characters
    bool met = false;
};

/// A criterion as the judge sees it.
struct JudgedCriterion final {
    QString stableId;
    QString text;
    double weight = 1;
    qint64 hash = 0; ///< identity of what was judged (see criterionHash)
    QList<CriterionExample> examples;
};

/// The judge's prompt. Prompt and response are fenced between marker lines that carry a tag
/// drawn from the response itself (fenceTag): a response cannot close its own block, since it
/// would have to contain the hash of itself. The part shared by many calls comes first and is
/// byte-identical across them (system and template, then the response in per-criterion modes
/// or the rubric in joint mode), so provider prompt caches serve it; the varying part is last.
class JudgeTemplate final {
public:
    explicit JudgeTemplate(const JudgeConfig &config);

    QString system() const { return m_system; }
    QString user() const { return m_user; }
    /// "joint-v2", "per-criterion-v2", "probability-v1", or "custom-<hash>" once edited, with
    /// "+fewshot-<hash>" when criteria carry examples: part of the run's identity, so a run
    /// with examples never reuses the verdicts of one without.
    QString version() const { return m_version; }

    llm::LlmRequest render(const QString &prompt, const QString &response,
                           const QList<JudgedCriterion> &criteria, bool showWeights) const;

    static QString defaultSystem(JudgeMode mode);
    /// The paragraph every built-in system prompt carries about the tagged fences.
    static QString fenceRule();
    static QString defaultUser(JudgeMode mode);
    /// The JSON schema of the mode's answer for these criteria (strict: every property named
    /// and required, nothing else allowed).
    static QString answerSchema(JudgeMode mode, const QList<JudgedCriterion> &criteria);

private:
    JudgeMode m_mode;
    QString m_system;
    QString m_user;
    QString m_version;
};

/// The identity of a criterion for judging: its text, plus its weight when the judge is shown
/// weights. Editing the text (or a shown weight) makes a new criterion to judge; re-weighting a
/// hidden weight does not.
qint64 criterionHash(const QString &text, double weight, bool showWeights);

/// The tag of a response's fence markers: 12 hex digits of SHA-256 over the prompt and the
/// response. The same in every call on that response (so the shared prefix stays identical),
/// different for every response, and not forgeable from inside the response.
QString fenceTag(const QString &prompt, const QString &response);

/// Neutralises marker lines inside untrusted text, for prompts without tagged fences (proposer,
/// collect, pairwise oracle).
QString fenceSafe(const QString &text);

} // namespace rs::judge
