#pragma once

#include "judgeconfig.h"
#include "llm/llmrequest.h"

#include <QList>
#include <QString>

namespace rs::judge {

/// A criterion as the judge sees it.
struct JudgedCriterion final {
    QString stableId;
    QString text;
    double weight = 1;
    qint64 hash = 0; ///< identity of what was judged (see criterionHash)
};

/// The judge's prompt. Response and prompt text are fenced between marker lines so that text
/// inside a response cannot pass for instructions or for the end of the block.
class JudgeTemplate final {
public:
    explicit JudgeTemplate(const JudgeConfig &config);

    QString system() const { return m_system; }
    QString user() const { return m_user; }
    /// "joint-v1", "per-criterion-v1", or "custom-<hash>" once edited: part of the cache key
    /// and of the run's identity.
    QString version() const { return m_version; }

    llm::LlmRequest render(const QString &prompt, const QString &response,
                           const QList<JudgedCriterion> &criteria, bool showWeights) const;

    static QString defaultSystem(JudgeMode mode);
    static QString defaultUser();

private:
    QString m_system;
    QString m_user;
    QString m_version;
};

/// The identity of a criterion for judging: its text, plus its weight when the judge is shown
/// weights. Editing the text (or a shown weight) makes a new criterion to judge; re-weighting a
/// hidden weight does not.
qint64 criterionHash(const QString &text, double weight, bool showWeights);

/// Neutralises marker lines inside untrusted text, so a response cannot close its own block.
QString fenceSafe(const QString &text);

} // namespace rs::judge
