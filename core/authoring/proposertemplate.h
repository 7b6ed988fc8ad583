#pragma once

#include "llm/llmrequest.h"

#include <QList>
#include <QString>

namespace rs::authoring {

/// A criterion as the proposer sees it in a rewrite request.
struct ShownCriterion final {
    QString id;
    QString text;
    double weight = 1;
};

/// A dead criterion shown for a prune rewrite, with why it is dead in words.
struct DeadShown final {
    ShownCriterion criterion;
    QString why; ///< "all 5 top answers pass it"
};

/// The proposer's prompts: an initial rubric from a prompt (optionally with reference
/// responses), an RTD rewrite that must tell a pair of responses apart, a contrastive rubric
/// from preferred/rejected pairs (hard rules and principles, tagged), a prune rewrite of the
/// criteria that are dead among the top responses, and a repair pass that turns an unusable
/// answer into the expected JSON. Texts are our own wording, editable; an
/// edited template gets a version "custom-<hash>" that is stored with every version it made
/// and is part of the cache key, so edited wording never reuses old answers.
///
/// Prompt, responses and rubric are fenced between marker lines (<<<PROMPT ... PROMPT>>>,
/// <<<A, <<<B, <<<REFERENCE, <<<TOP, <<<RUBRIC, <<<DEAD, <<<ANSWER) so that text inside them cannot
/// pass for instructions; the system prompts carry a [role:...] marker that the local test server
/// reads and real models ignore.
class ProposerTemplate final {
public:
    enum class Kind { Generate, Rewrite, Repair, Contrastive, PruneRewrite };

    explicit ProposerTemplate(Kind kind, QString system = {}, QString user = {});

    Kind kind() const { return m_kind; }
    QString system() const { return m_system; }
    QString user() const { return m_user; }
    QString version() const { return m_version; }

    /// Generate: {prompt}, {references}. Rewrite: {prompt}, {rubric}, {a}, {b}.
    /// Repair: {answer}, {error}. Contrastive: {prompt}, {pairs} (preferred, rejected).
    /// PruneRewrite: {prompt}, {rubric}, {dead}, {responses}.
    llm::LlmRequest renderGenerate(const QString &prompt, const QStringList &references) const;
    llm::LlmRequest renderRewrite(const QString &prompt, const QList<ShownCriterion> &rubric,
                                  const QString &a, const QString &b) const;
    llm::LlmRequest renderContrastive(const QString &prompt,
                                      const QList<std::pair<QString, QString>> &pairs) const;
    llm::LlmRequest renderRepair(const QString &answer, const QString &error) const;
    /// The whole rubric for context, the dead criteria with why, the top responses best first.
    /// The answer lists only the replacements, in the rubric answer format.
    llm::LlmRequest renderPruneRewrite(const QString &prompt, const QList<ShownCriterion> &rubric,
                                       const QList<DeadShown> &dead,
                                       const QStringList &topResponses) const;

    static QString defaultSystem(Kind kind);
    static QString defaultUser(Kind kind);

private:
    llm::LlmRequest render(const QList<std::pair<QString, QString>> &values) const;

    Kind m_kind;
    QString m_system;
    QString m_user;
    QString m_version;
};

} // namespace rs::authoring
