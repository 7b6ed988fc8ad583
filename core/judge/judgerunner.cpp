#include "judgerunner.h"

#include "fewshotexamples.h"
#include "holistictemplate.h"
#include "judgeanswer.h"
#include "judgecallrecord.h"
#include "judgeplan.h"
#include "judgetemplate.h"
#include "llm/llmcache.h"
#include "llm/llmscheduler.h"
#include "store/database.h"
#include "store/projectstore.h"

#include <condition_variable>
#include <future>
#include <mutex>

namespace rs::judge {
namespace {

constexpr size_t kCallsPerJob = 2000;      // calls per scheduler job: bounds memory for huge runs
constexpr size_t kFlushRecords = 200; // verdict batches handed to the writer
constexpr int kMaxFailuresListed = 20;
constexpr int kSampleStride = 1000;    // re-ask k of grading g is sample g + 1000·k
constexpr int kProbabilityTokens = 16; // P(yes) needs the first token only

/// Reads the texts a request needs, on the runner's own read connection.
class TextSource {
public:
    static Expected<TextSource> open(const QString &path)
    {
        auto db = store::Database::open(path, store::Database::Mode::ReadOnly);
        if (!db)
            return db.error();
        TextSource t;
        t.m_db = std::move(db.value());
        auto r = t.m_db.prepare("SELECT text FROM responses WHERE id = ?1");
        auto p = t.m_db.prepare("SELECT text FROM prompts WHERE id = ?1");
        if (!r)
            return r.error();
        if (!p)
            return p.error();
        t.m_response = std::move(r.value());
        t.m_prompt = std::move(p.value());
        return t;
    }
    store::Database &db() { return m_db; }
    /// A text that cannot be read is an error, never an empty string: judging "" would store
    /// confident verdicts on nothing.
    Expected<QString> response(qint64 id) { return fetch(m_response, id, "response"); }
    Expected<QString> prompt(qint64 id) {
        if (id != m_lastPromptId) {
            auto text = fetch(m_prompt, id, "prompt");
            if (!text)
                return text;
            m_lastPrompt = std::move(text.value());
            m_lastPromptId = id;
        }
        return m_lastPrompt;
    }

    /// The judge request of one item, or why its texts could not be read.
    Expected<llm::LlmRequest> render(const JudgeTemplate &tpl, const WorkItem &item,
                                     bool showWeights) {
        auto prompt = this->prompt(item.promptId);
        if (!prompt)
            return prompt.error();
        auto response = this->response(item.responseId);
        if (!response)
            return response.error();
        if (item.holistic)
            return m_holistic.render(prompt.value(), response.value(), item.criteria);
        return tpl.render(prompt.value(), response.value(), item.criteria, showWeights);
    }

private:
    static Expected<QString> fetch(store::Statement &st, qint64 id, const char *what) {
        st.reset();
        st.bind(1, std::int64_t(id));
        auto row = st.step();
        if (!row)
            return makeError(QStringLiteral("cannot read %1 %2: %3")
                                 .arg(QLatin1String(what))
                                 .arg(id)
                                 .arg(row.error().message));
        if (!*row)
            return makeError(QStringLiteral("%1 %2 is no longer in the project")
                                 .arg(QLatin1String(what))
                                 .arg(id));
        return st.columnText(0);
    }
    store::Database m_db;
    store::Statement m_response, m_prompt;
    qint64 m_lastPromptId = -1;
    QString m_lastPrompt;
    HolisticTemplate m_holistic;
};

/// Turns a holistic answer into its score; an error when it cannot be parsed.
Expected<HolisticRow> scoreFor(const WorkItem &item, const llm::LlmResult &res) {
    auto a = parseHolisticAnswer(res.text);
    if (!a)
        return a.error();
    return HolisticRow{item.guidanceHash, QStringLiteral("ok"), a->score, a->explanation};
}

/// Turns an answer into verdict rows; an error when it cannot be parsed.
Expected<std::vector<VerdictRow>> verdictsFor(const WorkItem &item, JudgeMode mode,
                                              const llm::LlmResult &res) {
    const QString &raw = res.text;
    std::vector<VerdictRow> rows;
    if (mode == JudgeMode::Probability) {
        auto p = parseProbabilityAnswer(raw, res.firstTokenLogprobs);
        if (!p)
            return p.error();
        const auto &c = item.criteria.first();
        rows.push_back(
            {c.hash, c.stableId, p->pYes >= 0.5 ? QStringLiteral("yes") : QStringLiteral("no"),
             p->fromLogprobs
                 ? QStringLiteral("P(yes) %1 from the first token").arg(p->pYes, 0, 'f', 4)
                 : QStringLiteral("answered %1 (no yes/no token probabilities)")
                       .arg(p->pYes >= 0.5 ? QStringLiteral("yes") : QStringLiteral("no")),
             p->pYes});
        return rows;
    }
    if (mode == JudgeMode::PerCriterion) {
        auto v = parsePerCriterionAnswer(raw);
        if (!v)
            return v.error();
        const auto &c = item.criteria.first();
        rows.push_back({c.hash,
                        c.stableId,
                        v->met ? QStringLiteral("yes") : QStringLiteral("no"),
                        v->reason,
                        {}});
        return rows;
    }
    QStringList ids;
    for (const auto &c : item.criteria)
        ids << c.stableId;
    auto answer = parseJointAnswer(raw, ids);
    if (!answer)
        return answer.error();
    for (const auto &c : item.criteria) {
        auto it = answer->verdicts.constFind(c.stableId);
        if (it == answer->verdicts.cend())
            rows.push_back({c.hash,
                            c.stableId,
                            QStringLiteral("error"),
                            QStringLiteral("the judge's answer left this criterion out"),
                            {}});
        else
            rows.push_back({c.hash,
                            c.stableId,
                            it->met ? QStringLiteral("yes") : QStringLiteral("no"),
                            it->reason,
                            {}});
    }
    return rows;
}

/// Marks what the call should have answered as failed (or refused), with the reason.
void markFailed(CallRecord &rec, const WorkItem &item, const QString &why,
                const QString &state = QStringLiteral("error")) {
    if (item.holistic) {
        rec.holistic = HolisticRow{item.guidanceHash, state, std::nullopt, why};
        return;
    }
    for (const auto &c : item.criteria)
        rec.verdicts.push_back({c.hash, c.stableId, state, why, {}});
}

/// The judge request of an item, exactly as run() sends it: its grading's sample identity and
/// temperature, the answer's schema in the form asked for, the reasoning settings. A re-ask
/// after an unparseable answer is another sample at the same temperature; in probability mode
/// it is constrained to yes/no by schema instead of read from token probabilities.
llm::LlmRequest judgeRequest(const JudgeConfig &config, const WorkItem &item, llm::LlmRequest r,
                             int parseAttempt) {
    r.temperature = config.temperatureFor(item.grading);
    r.maxTokens = config.maxTokens;
    r.sample = item.grading + kSampleStride * parseAttempt;
    if (r.sample != 0)
        r.seed = r.sample;
    r.reasoningEffort = config.reasoningEffort;
    r.thinkingBudget = config.thinkingBudget;
    // A holistic score is asked in the run's structured form even in probability mode: its
    // first token cannot carry a 1-10 distribution ("10" is "1" then "0" to many tokenizers).
    const QString schema = item.holistic ? HolisticTemplate::answerSchema()
                                         : JudgeTemplate::answerSchema(config.mode, item.criteria);
    if (config.mode == JudgeMode::Probability && !item.holistic) {
        if (parseAttempt == 0) {
            r.logprobs = true;
            r.topLogprobs = config.topLogprobs;
            r.maxTokens = std::min(config.maxTokens, kProbabilityTokens);
            r.cutIsAnswer = true;
        } else {
            r.format = llm::ResponseFormat::JsonSchema;
            r.jsonSchema = schema;
        }
        return r;
    }
    switch (config.structured) {
    case Structured::Auto:
    case Structured::JsonSchema:
    case Structured::Tool:
        r.format = llm::ResponseFormat::JsonSchema;
        r.jsonSchema = schema;
        r.schemaVia =
            config.structured == Structured::Tool ? llm::SchemaVia::Tool : llm::SchemaVia::Native;
        break;
    case Structured::JsonObject:
        r.format = llm::ResponseFormat::JsonObject;
        break;
    case Structured::Off:
        break;
    }
    return r;
}

} // namespace

Expected<std::vector<llm::LlmRequest>> JudgeRunner::plannedRequests(const JudgeConfig &requested,
                                                                    qint64 *runIdOut, RunRow row)
{
    auto texts = TextSource::open(m_store.path());
    if (!texts)
        return texts.error();
    JudgeConfig config = requested;
    if (auto fewShot = applyFewShot(texts->db(), config); !fewShot)
        return fewShot.error();
    const JudgeTemplate tpl(config);
    // A preview finds the run it would resume (0: a new one, nothing done yet) and writes nothing.
    auto runId = row == RunRow::Create ? findOrCreateRun(m_store, config, tpl) : findRun(texts->db(), config, tpl);
    if (!runId)
        return runId.error();
    if (runIdOut)
        *runIdOut = runId.value();
    auto plan = planRun(texts->db(), runId.value(), config);
    if (!plan)
        return plan.error();
    std::vector<llm::LlmRequest> requests;
    requests.reserve(plan->items.size());
    for (const WorkItem &item : plan->items) {
        auto rendered = texts->render(tpl, item, config.showWeights);
        if (!rendered)
            return rendered.error();
        requests.push_back(judgeRequest(config, item, std::move(rendered.value()), 0));
    }
    return requests;
}

Expected<llm::CostPreview> JudgeRunner::preview(const JudgeConfig &config,
                                                const llm::PriceTable &prices, bool bypassCache)
{
    auto requests = plannedRequests(config, nullptr, RunRow::FindOnly);
    if (!requests)
        return requests.error();
    return llm::previewCost(config.provider, requests.value(), prices, &m_store, bypassCache);
}

Expected<JudgeRunSummary> JudgeRunner::run(const JudgeConfig &requested,
                                           const llm::JobOptions &jobOptions,
                                           const JudgeProgressFn &progress) {
    // One spending cap for the whole run: every chunk's job draws on the same budget.
    llm::JobOptions options = jobOptions;
    llm::ensureBudget(options);
    auto texts = TextSource::open(m_store.path());
    if (!texts)
        return texts.error();
    // Examples attached from human corrections are part of the prompt and of the run's name.
    JudgeConfig config = requested;
    if (auto fewShot = applyFewShot(texts->db(), config); !fewShot)
        return fewShot.error();
    const JudgeTemplate tpl(config);
    auto runId = findOrCreateRun(m_store, config, tpl);
    if (!runId)
        return runId.error();
    auto planned = planRun(texts->db(), runId.value(), config);
    if (!planned)
        return planned.error();
    const JudgePlan &plan = planned.value();

    JudgeRunSummary summary;
    summary.runId = plan.runId;
    summary.responses = plan.responses;
    summary.verdictsWanted = plan.verdictsWanted;
    summary.verdictsBefore = plan.verdictsDone;
    summary.callsPlanned = qint64(plan.items.size());

    // Shared with the scheduler's callbacks (its worker thread).
    std::mutex mutex;
    std::condition_variable wake;
    std::vector<CallRecord> pending;
    std::vector<std::pair<size_t, QString>> reparse; // item index, last parse error
    JudgeProgress prog;
    prog.callsTotal = summary.callsPlanned;
    bool jobDone = false;
    std::vector<std::future<Expected<void>>> writes;
    std::optional<Error> writeError;

    auto flush = [&](bool all) {
        std::vector<CallRecord> batch;
        {
            std::lock_guard lock(mutex);
            if (pending.empty() || (!all && pending.size() < kFlushRecords))
                return;
            batch.swap(pending);
        }
        for (const auto &r : batch)
            summary.verdictsStored += r.rows();
        auto shared = std::make_shared<std::vector<CallRecord>>(std::move(batch));
        const qint64 run = plan.runId;
        writes.push_back(m_store.writer().post(
            [shared, run](store::Database &db) { return storeCallRecords(db, run, *shared); }));
    };

    std::vector<int> parseAttempts(plan.items.size(), 0);
    std::vector<size_t> queue(plan.items.size());
    for (size_t i = 0; i < queue.size(); ++i)
        queue[i] = i;

    while (!queue.empty() && !summary.cancelled) {
        const size_t n = std::min(kCallsPerJob, queue.size());
        std::vector<size_t> chunk(queue.begin(), queue.begin() + qsizetype(n));
        queue.erase(queue.begin(), queue.begin() + qsizetype(n));

        std::vector<llm::LlmRequest> requests;
        requests.reserve(chunk.size());
        for (size_t k = 0; k < chunk.size(); ++k) {
            const WorkItem &item = plan.items[chunk[k]];
            auto rendered = texts->render(tpl, item, config.showWeights);
            if (!rendered) {
                // This item fails, with its reason stored; the rest of the run goes on.
                CallRecord rec;
                rec.responseId = item.responseId;
                rec.grading = item.grading;
                rec.error = rendered.error().message;
                markFailed(rec, item, rec.error);
                std::lock_guard lock(mutex);
                ++prog.callsDone;
                ++prog.failedCalls;
                if (summary.failures.size() < kMaxFailuresListed)
                    summary.failures
                        << QStringLiteral("response %1: %2").arg(item.responseId).arg(rec.error);
                pending.push_back(std::move(rec));
                continue;
            }
            llm::LlmRequest r =
                judgeRequest(config, item, std::move(rendered.value()), parseAttempts[chunk[k]]);
            r.tag = k;
            requests.push_back(std::move(r));
        }

        if (requests.empty())
            continue; // every item of the chunk failed before a call
        {
            std::lock_guard lock(mutex);
            jobDone = false;
        }
        const auto job = m_scheduler.submit(
            config.provider, std::move(requests), options,
            [&, chunk](std::uint64_t, const llm::LlmResult &res) {
                const size_t index = chunk[res.tag];
                const WorkItem &item = plan.items[index];
                CallRecord rec;
                rec.responseId = item.responseId;
                rec.grading = item.grading;
                rec.temperature = config.temperatureFor(item.grading);
                rec.raw = res.text;
                rec.attempts = res.attempts;
                rec.cached = res.cached;
                rec.refused = res.refused;
                rec.tokensIn = res.tokensIn;
                rec.tokensCachedIn = res.tokensCachedIn;
                rec.tokensOut = res.tokensOut;
                rec.tokensReasoning = res.tokensReasoning;
                rec.cost = res.costUsd;
                std::lock_guard lock(mutex);
                ++prog.callsDone;
                if (!res.ok && options.cacheOnly) {
                    // Not answered yet (e.g. not in this batch output): nothing to store, the
                    // call stays missing and is planned again.
                    ++summary.notCached;
                    return;
                }
                prog.cachedCalls += res.cached;
                prog.tokens += res.tokensIn + res.tokensOut;
                prog.costUsd += res.costUsd;
                if (res.ok && !res.cached) {
                    ++prog.sentCalls;
                    prog.tokensIn += res.tokensIn;
                    prog.tokensCachedIn += res.tokensCachedIn;
                    prog.tokensOut += res.tokensOut;
                    prog.tokensReasoning += res.tokensReasoning;
                }
                if (!res.ok) {
                    rec.error = res.errorText;
                    markFailed(rec, item, res.errorText);
                    ++prog.failedCalls;
                    if (summary.failures.size() < kMaxFailuresListed)
                        summary.failures << QStringLiteral("response %1: %2").arg(item.responseId).arg(res.errorText);
                    pending.push_back(std::move(rec));
                    return;
                }
                if (res.refused) {
                    // A refusal is an answer: stored as its own state, never re-asked.
                    ++prog.refusedCalls;
                    markFailed(rec, item, res.text, QStringLiteral("refused"));
                    pending.push_back(std::move(rec));
                    return;
                }
                std::optional<Error> unparsed;
                if (item.holistic) {
                    if (auto score = scoreFor(item, res))
                        rec.holistic = std::move(score.value());
                    else
                        unparsed = score.error();
                } else if (auto rows = verdictsFor(item, config.mode, res)) {
                    rec.verdicts = std::move(rows.value());
                } else {
                    unparsed = rows.error();
                }
                if (unparsed && res.cut)
                    unparsed = makeError(
                        QStringLiteral(
                            "the answer was cut off at the most room given (%1 tokens): %2")
                            .arg(config.maxTokens * 4)
                            .arg(unparsed->message));
                if (unparsed) {
                    if (parseAttempts[index] < config.parseRetries) {
                        --prog.callsDone; // it will be asked again
                        reparse.emplace_back(index, unparsed->message);
                        return;
                    }
                    rec.error = QStringLiteral("unparseable answer: ") + unparsed->message;
                    markFailed(rec, item, rec.error);
                    ++prog.failedCalls;
                    if (summary.failures.size() < kMaxFailuresListed)
                        summary.failures << QStringLiteral("response %1: %2")
                                                .arg(item.responseId)
                                                .arg(rec.error);
                }
                pending.push_back(std::move(rec));
            },
            [&](std::uint64_t, const llm::JobSummary &) {
                std::lock_guard lock(mutex);
                jobDone = true;
                wake.notify_all();
            });

        bool paused = false;
        for (;;) {
            if (m_paused != paused) {
                paused = m_paused;
                paused ? m_scheduler.pause(job) : m_scheduler.resume(job);
            }
            {
                std::unique_lock lock(mutex);
                if (wake.wait_for(lock, std::chrono::milliseconds(100), [&] { return jobDone; }))
                    break;
            }
            flush(false);
            JudgeProgress snapshot;
            {
                std::lock_guard lock(mutex);
                snapshot = prog;
            }
            if (progress && !summary.cancelled && !progress(snapshot)) {
                summary.cancelled = true;
                m_scheduler.cancel(job);
            }
        }
        flush(true);
        std::lock_guard lock(mutex);
        for (const auto &[index, why] : reparse) {
            ++parseAttempts[index];
            queue.push_back(index);
        }
        reparse.clear();
    }

    flush(true);
    for (auto &w : writes) {
        auto r = w.get();
        if (!r && !writeError)
            writeError = r.error();
    }
    if (writeError)
        return *writeError;
    summary.callsDone = prog.callsDone;
    summary.failedCalls = prog.failedCalls;
    summary.cachedCalls = prog.cachedCalls;
    summary.tokens = prog.tokens;
    summary.costUsd = prog.costUsd;
    summary.refusedCalls = prog.refusedCalls;
    summary.sentCalls = prog.sentCalls;
    summary.tokensIn = prog.tokensIn;
    summary.tokensCachedIn = prog.tokensCachedIn;
    summary.tokensOut = prog.tokensOut;
    summary.tokensReasoning = prog.tokensReasoning;
    summary.capReached = options.budget && options.budget->reached();
    if (progress)
        progress(prog);

    const QString status = summary.cancelled        ? QStringLiteral("cancelled")
                           : summary.failedCalls > 0 || summary.notCached > 0 ? QStringLiteral("incomplete")
                                                     : QStringLiteral("complete");
    const qint64 run = plan.runId;
    (void)m_store.writer().write([run, status](store::Database &db) -> Expected<void> {
        auto st = db.prepare("UPDATE judge_runs SET status = ?2 WHERE id = ?1");
        if (!st)
            return st.error();
        st->bind(1, std::int64_t(run));
        st->bind(2, status);
        return st->run();
    });
    return summary;
}

} // namespace rs::judge
