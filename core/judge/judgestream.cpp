#include "judgestream.h"

#include "fewshotexamples.h"
#include "judgecall.h"
#include "judgecallrecord.h"
#include "judgeplan.h"
#include "llm/llmscheduler.h"
#include "store/database.h"
#include "store/projectstore.h"

#include <set>
#include <unordered_map>

namespace rs::judge {

/// The responses handed in by one judge() call, and what is still owed on each.
struct JudgeStream::Batch {
    struct Response {
        int remaining = 0; ///< calls not answered yet (a re-ask counts as the same call)
        std::vector<CallRecord> records;
        QString failure;
    };
    std::vector<WorkItem> items;
    std::vector<int> attempts; ///< per item: parse re-asks so far
    std::unordered_map<qint64, Response> responses;
    Done done;
};

JudgeStream::JudgeStream(store::ProjectStore &store, llm::LlmScheduler &scheduler,
                         JudgeConfig config, llm::JobOptions options, AnswerFn onAnswer)
    : m_store(store)
    , m_scheduler(scheduler)
    , m_config(std::move(config))
    , m_options(std::move(options))
    , m_onAnswer(std::move(onAnswer)) {
    // One spending cap for the stream's whole life, as for one run.
    llm::ensureBudget(m_options);
}

JudgeStream::~JudgeStream() {
    waitIdle();
}

Expected<void> JudgeStream::open() {
    auto texts = JudgeTexts::open(m_store.path());
    if (!texts)
        return texts.error();
    m_texts.emplace(std::move(texts.value()));
    // Examples attached from human corrections are part of the prompt and of the run's name.
    m_config.responseIds.clear();
    if (auto fewShot = applyFewShot(m_texts->db(), m_config); !fewShot)
        return fewShot.error();
    m_template.emplace(m_config);
    auto run = findOrCreateRun(m_store, m_config, *m_template);
    if (!run)
        return run.error();
    m_runId = run.value();
    return setRunStatus(m_store, m_runId, QStringLiteral("running"));
}

Expected<void> JudgeStream::judge(const QSet<qint64> &responseIds, Done done) {
    auto batch = std::make_shared<Batch>();
    batch->done = std::move(done);
    for (const qint64 id : responseIds)
        batch->responses.emplace(id, Batch::Response{});
    std::vector<llm::LlmRequest> requests;
    std::vector<std::pair<std::size_t, QString>> unrendered; // item, why
    {
        std::lock_guard lock(m_textsMutex);
        const store::ReadSnapshot snapshot(m_texts->db());
        JudgeConfig scoped = m_config;
        scoped.responseIds = responseIds;
        auto plan = planRun(m_texts->db(), m_runId, scoped);
        if (!plan)
            return plan.error();
        batch->items = std::move(plan->items);
        batch->attempts.assign(batch->items.size(), 0);
        requests.reserve(batch->items.size());
        for (std::size_t i = 0; i < batch->items.size(); ++i) {
            const WorkItem &item = batch->items[i];
            ++batch->responses[item.responseId].remaining;
            auto rendered = m_texts->render(*m_template, item, m_config.showWeights);
            if (!rendered) {
                unrendered.emplace_back(i, rendered.error().message);
                continue;
            }
            llm::LlmRequest r = judgeRequest(m_config, item, std::move(rendered.value()), 0);
            r.tag = i;
            requests.push_back(std::move(r));
        }
    }
    {
        std::lock_guard lock(m_mutex);
        m_open += batch->responses.size();
    }
    std::vector<qint64> idle; // nothing missing: reported at once
    {
        std::lock_guard lock(m_mutex);
        for (const auto &[id, r] : batch->responses)
            if (r.remaining == 0)
                idle.push_back(id);
        // An item whose texts cannot be read fails alone, with its reason stored.
        for (const auto &[i, why] : unrendered) {
            const WorkItem &item = batch->items[i];
            CallRecord rec;
            rec.responseId = item.responseId;
            rec.grading = item.grading;
            rec.error = why;
            markFailed(rec, item, why);
            m_anyFailed = true;
            Batch::Response &r = batch->responses[item.responseId];
            if (r.failure.isEmpty())
                r.failure = why;
            r.records.push_back(std::move(rec));
            --r.remaining;
        }
    }
    for (const qint64 id : idle) {
        batch->done(id, QString());
        finished(1);
    }
    std::set<qint64> failedOut; // every call of these failed before it was sent
    for (const auto &[i, why] : unrendered)
        if (batch->responses[batch->items[i].responseId].remaining == 0)
            failedOut.insert(batch->items[i].responseId);
    for (const qint64 id : failedOut)
        settle(batch, id);
    if (!requests.empty())
        m_scheduler.submit(
            m_config.provider, std::move(requests), m_options,
            [this, batch](std::uint64_t, const llm::LlmResult &res) { onResult(batch, res); }, {});
    return {};
}

void JudgeStream::onResult(const std::shared_ptr<Batch> &batch, const llm::LlmResult &res) {
    const std::size_t index = res.tag;
    const WorkItem &item = batch->items[index];
    JudgeAnswer answer =
        readJudgeAnswer(m_config, item, res, batch->attempts[index], m_options.cacheOnly);
    if (m_onAnswer)
        m_onAnswer(res);
    if (answer.kind == JudgeAnswer::Kind::Reask) {
        ++batch->attempts[index];
        send(batch, {index});
        return;
    }
    bool last = false;
    {
        std::lock_guard lock(m_mutex);
        Batch::Response &r = batch->responses[item.responseId];
        if (answer.kind == JudgeAnswer::Kind::Failed && r.failure.isEmpty())
            r.failure = answer.error;
        m_anyFailed = m_anyFailed || answer.kind == JudgeAnswer::Kind::Failed;
        // A cache-only stream stores nothing for an answer it does not have.
        if (answer.kind != JudgeAnswer::Kind::NotCached)
            r.records.push_back(std::move(answer.record));
        last = --r.remaining == 0;
    }
    if (last)
        settle(batch, item.responseId);
}

void JudgeStream::send(const std::shared_ptr<Batch> &batch,
                       const std::vector<std::size_t> &indices) {
    std::vector<llm::LlmRequest> requests;
    for (const std::size_t i : indices) {
        const WorkItem &item = batch->items[i];
        Expected<llm::LlmRequest> rendered = [&] {
            std::lock_guard lock(m_textsMutex);
            return m_texts->render(*m_template, item, m_config.showWeights);
        }();
        if (!rendered) {
            llm::LlmResult failed;
            failed.tag = i;
            failed.errorText = rendered.error().message; // a failed call: never re-asked
            onResult(batch, failed);
            continue;
        }
        llm::LlmRequest r =
            judgeRequest(m_config, item, std::move(rendered.value()), batch->attempts[i]);
        r.tag = i;
        requests.push_back(std::move(r));
    }
    if (!requests.empty())
        m_scheduler.submit(
            m_config.provider, std::move(requests), m_options,
            [this, batch](std::uint64_t, const llm::LlmResult &res) { onResult(batch, res); }, {});
}

void JudgeStream::settle(const std::shared_ptr<Batch> &batch, qint64 responseId) {
    std::vector<CallRecord> records;
    QString failure;
    {
        std::lock_guard lock(m_mutex);
        Batch::Response &r = batch->responses[responseId];
        records.swap(r.records);
        failure = r.failure;
    }
    auto shared = std::make_shared<std::vector<CallRecord>>(std::move(records));
    const qint64 run = m_runId;
    // Reported once the rows are committed: a reader then finds every verdict of it.
    m_store.writer().post(
        [shared, run](store::Database &db) { return storeCallRecords(db, run, *shared); },
        [this, batch, responseId, failure](const Expected<void> &stored) {
            batch->done(responseId, stored ? failure
                                           : QStringLiteral("cannot store the verdicts: ") +
                                                 stored.error().message);
            finished(1);
        });
}

void JudgeStream::finished(std::size_t responses) {
    std::lock_guard lock(m_mutex);
    m_open -= responses;
    if (m_open == 0)
        m_idle.notify_all();
}

void JudgeStream::waitIdle() {
    std::unique_lock lock(m_mutex);
    m_idle.wait(lock, [this] { return m_open == 0; });
}

void JudgeStream::finish() {
    waitIdle();
    if (m_runId == 0)
        return;
    bool failed = false;
    {
        std::lock_guard lock(m_mutex);
        failed = m_anyFailed;
    }
    (void)setRunStatus(m_store, m_runId,
                       failed ? QStringLiteral("incomplete") : QStringLiteral("complete"));
}

} // namespace rs::judge
