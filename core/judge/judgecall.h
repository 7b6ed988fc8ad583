#pragma once

#include "judgecallrecord.h"
#include "judgeconfig.h"
#include "llm/llmrequest.h"

#include <QString>

namespace rs::judge {

struct WorkItem;

/// Re-ask k of grading g is sample g + kSampleStride·k: a new sample, never a hotter one.
constexpr int kSampleStride = 1000;

/// The judge request of an item, exactly as a run sends it: its grading's sample identity and
/// temperature, the answer's schema in the form asked for, the reasoning settings. A re-ask
/// after an unparseable answer is another sample at the same temperature; in probability mode
/// it is constrained to yes/no by schema instead of read from token probabilities.
llm::LlmRequest judgeRequest(const JudgeConfig &config, const WorkItem &item,
                             llm::LlmRequest rendered, int parseAttempt);

/// What one answer means for its item: the one reading JudgeRunner and JudgeStream share.
struct JudgeAnswer final {
    enum class Kind {
        Stored,    ///< verdicts (or a score) to store
        Failed,    ///< no usable answer: stored as failed, with the reason
        Refused,   ///< the judge declined: stored as refused, never asked again
        Reask,     ///< unparseable, with attempts left: ask again as a new sample
        NotCached, ///< a cache-only run without this answer: nothing stored, planned again
    };
    Kind kind = Kind::Stored;
    CallRecord record; ///< the call row and its rows, for Stored, Failed and Refused
    QString error;     ///< Failed: why; Reask: the parse error
};

JudgeAnswer readJudgeAnswer(const JudgeConfig &config, const WorkItem &item,
                            const llm::LlmResult &result, int parseAttempt, bool cacheOnly);

/// Marks what the call should have answered as failed (or refused), with the reason.
void markFailed(CallRecord &rec, const WorkItem &item, const QString &why,
                const QString &state = QStringLiteral("error"));

} // namespace rs::judge
