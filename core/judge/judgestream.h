#pragma once

#include "common/error.h"
#include "judgeconfig.h"
#include "judgetemplate.h"
#include "judgetexts.h"
#include "llm/llmjob.h"

#include <QSet>
#include <QString>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>

namespace rs::store {
class ProjectStore;
}
namespace rs::llm {
class LlmScheduler;
struct LlmResult;
} // namespace rs::llm

namespace rs::judge {

/// A judge run that stays open and takes responses as they come — the reward server's: each
/// response is reported as soon as its own calls are answered and stored, not when a whole
/// job ends, so one slow answer holds up nobody else and the judge never idles between waves.
/// The calls, answers, re-asks and stored rows are JudgeRunner's (judgecall.h), in the run
/// `judge` with the same settings uses: its verdicts are reused, its cache keys hit.
class JudgeStream final {
public:
    /// Once per response, on a scheduler or writer thread, when everything planned for it is
    /// stored. `failure`: the first failed call's reason (empty when none failed).
    using Done = std::function<void(qint64 responseId, const QString &failure)>;
    /// Each answer as it arrives (cached ones included), for counters.
    using AnswerFn = std::function<void(const llm::LlmResult &)>;

    JudgeStream(store::ProjectStore &store, llm::LlmScheduler &scheduler, JudgeConfig config,
                llm::JobOptions options, AnswerFn onAnswer = {});
    ~JudgeStream(); ///< waits until every response handed in is reported
    JudgeStream(const JudgeStream &) = delete;
    JudgeStream &operator=(const JudgeStream &) = delete;

    /// Applies the few-shot examples, finds or creates the run.
    Expected<void> open();
    qint64 runId() const { return m_runId; }

    /// Plans what these responses still miss in the run and sends it; `done` runs once for
    /// each of them (at once for one with nothing missing). On an error nothing was sent and
    /// `done` is not called. Safe from several threads.
    Expected<void> judge(const QSet<qint64> &responseIds, Done done);

    /// Blocks until every response handed in so far has been reported.
    void waitIdle();
    /// Waits until idle and records how the stream's run ended: complete, or incomplete when
    /// a call failed (the next `judge` or `serve` asks those again).
    void finish();

private:
    struct Batch;
    void onResult(const std::shared_ptr<Batch> &batch, const llm::LlmResult &res);
    void send(const std::shared_ptr<Batch> &batch, const std::vector<std::size_t> &indices);
    void settle(const std::shared_ptr<Batch> &batch, qint64 responseId);
    void finished(std::size_t responses);

    store::ProjectStore &m_store;
    llm::LlmScheduler &m_scheduler;
    JudgeConfig m_config;
    llm::JobOptions m_options;
    AnswerFn m_onAnswer;
    qint64 m_runId = 0;
    std::optional<JudgeTemplate> m_template;

    std::mutex m_textsMutex; ///< planning and rendering share one read connection
    std::optional<JudgeTexts> m_texts;

    std::mutex m_mutex; ///< batches' bookkeeping and the count of responses not reported
    std::condition_variable m_idle;
    std::size_t m_open = 0;
    bool m_anyFailed = false;
};

} // namespace rs::judge
