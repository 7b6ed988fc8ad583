#pragma once

#include "common/error.h"
#include "holistictemplate.h"
#include "llm/llmrequest.h"
#include "store/database.h"

#include <QString>

namespace rs::judge {

class JudgeTemplate;
struct WorkItem;

/// Reads the texts a judge request needs, on its own read connection, and renders the
/// request. Not thread-safe: one per thread (or behind a lock).
class JudgeTexts final {
public:
    static Expected<JudgeTexts> open(const QString &path);

    store::Database &db() { return m_db; }
    /// A text that cannot be read is an error, never an empty string: judging "" would store
    /// confident verdicts on nothing.
    Expected<QString> response(qint64 id);
    Expected<QString> prompt(qint64 id);

    /// The judge request of one item, or why its texts could not be read.
    Expected<llm::LlmRequest> render(const JudgeTemplate &tpl, const WorkItem &item,
                                     bool showWeights);

private:
    store::Database m_db;
    store::Statement m_response, m_prompt;
    qint64 m_lastPromptId = -1;
    QString m_lastPrompt;
    HolisticTemplate m_holistic;
};

} // namespace rs::judge
