#include "judgerunner.h"

#include "fewshotexamples.h"
#include "judgecall.h"
#include "judgecallrecord.h"
#include "judgeplan.h"
#include "judgetemplate.h"
#include "judgetexts.h"
#include "llm/llmcache.h"
#include "llm/llmscheduler.h"
#include "store/database.h"
#include "store/projectstore.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <numeric>
#include <utility>

namespace rs::judge {
namespace {

// The first job: small, so the first calls go out at once. A run's wall time is the start of
// its earliest calls plus one latency per wave; 64 rendered and keyed first held them ~3 ms.
constexpr size_t kFirstJob = 8;
constexpr size_t kCallsPerJob = 2000;   // the largest job
constexpr size_t kMaxUnanswered = 4000; // rendered but unanswered calls: bounds memory
constexpr size_t kFlushRecords = 200; // verdict batches handed to the writer
constexpr int kMaxFailuresListed = 20;

bool sameItem(const WorkItem &a, const WorkItem &b) {
    if (a.responseId != b.responseId || a.grading != b.grading || a.holistic != b.holistic
        || a.guidanceHash != b.guidanceHash || a.criteria.size() != b.criteria.size())
        return false;
    for (qsizetype i = 0; i < a.criteria.size(); ++i) {
        const JudgedCriterion &x = a.criteria[i], &y = b.criteria[i];
        if (x.stableId != y.stableId || x.hash != y.hash || x.weight != y.weight
            || x.examples.size() != y.examples.size())
            return false;
    }
    return true;
}

bool samePlan(const std::vector<WorkItem> &a, const std::vector<WorkItem> &b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), sameItem);
}
} // namespace

QString JudgeRunner::settingsOf(const JudgeConfig &c, const JudgeTemplate &tpl) {
    // The run's identity plus what else judgeRequest reads from the config.
    return QStringList{c.provider.name, c.provider.model, modeName(c.mode),
                       QString::number(c.showWeights), QString::number(c.gradings), tpl.version(),
                       runParams(c), QString::number(c.maxTokens), QString::number(c.topLogprobs)}
        .join(QChar(0));
}

Expected<std::vector<llm::LlmRequest>> JudgeRunner::plannedRequests(const JudgeConfig &config,
                                                                    qint64 *runIdOut, RunRow row) {
    return plannedRequests(config, runIdOut, row, nullptr);
}

Expected<std::vector<llm::LlmRequest>> JudgeRunner::plannedRequests(const JudgeConfig &requested,
                                                                    qint64 *runIdOut, RunRow row,
                                                                    Previewed *keep) {
    auto texts = JudgeTexts::open(m_store.path());
    if (!texts)
        return texts.error();
    JudgeConfig config = requested;
    if (auto fewShot = applyFewShot(texts->db(), config); !fewShot)
        return fewShot.error();
    const JudgeTemplate tpl(config);
    // A preview finds the run it would resume (0: a new one, nothing done yet) and writes nothing.
    auto runId = row == RunRow::Create ? findOrCreateRun(m_store, config, tpl)
                                       : findRun(texts->db(), config, tpl);
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
    if (keep) {
        keep->settings = settingsOf(config, tpl);
        keep->items = std::move(plan->items);
        keep->requests = requests;
    }
    return requests;
}

Expected<llm::CostPreview> JudgeRunner::preview(const JudgeConfig &config,
                                                const llm::PriceTable &prices, bool bypassCache) {
    m_previewed.reset();
    Previewed kept;
    auto requests = plannedRequests(config, nullptr, RunRow::FindOnly, &kept);
    if (!requests)
        return requests.error();
    auto cost = llm::previewCost(config.provider, requests.value(), prices, &m_store, bypassCache,
                                 &kept.keyed);
    if (cost)
        m_previewed = std::move(kept);
    return cost;
}

Expected<JudgeRunSummary> JudgeRunner::run(const JudgeConfig &requested,
                                           const llm::JobOptions &jobOptions,
                                           const JudgeProgressFn &progress) {
    // One spending cap for the whole run: every chunk's job draws on the same budget.
    llm::JobOptions options = jobOptions;
    llm::ensureBudget(options);
    auto texts = JudgeTexts::open(m_store.path());
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

    // The previewed requests, when they are still exactly what this run would render.
    std::optional<Previewed> previewed = std::exchange(m_previewed, std::nullopt);
    if (previewed && (previewed->settings != settingsOf(config, tpl) || !samePlan(previewed->items, plan.items)))
        previewed.reset();

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
    JudgeProgress prog;
    prog.callsTotal = summary.callsPlanned;
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

    // The run is a pipeline: calls go out as soon as the first small job is rendered and keyed,
    // while this thread renders and keys the next ones (rendering all of a big run first kept
    // the judge idle for a fifth of a second per thousand calls). Jobs double in size up to
    // kCallsPerJob, and at most kMaxUnanswered calls are rendered but unanswered at a time,
    // which bounds memory for huge runs. Items to re-ask join the queue as their answers come.
    std::vector<int> parseAttempts(plan.items.size(), 0);
    std::deque<size_t> queue(plan.items.size());
    std::iota(queue.begin(), queue.end(), size_t(0));
    std::vector<std::uint64_t> jobs; // every job submitted; cancel and pause reach them all
    size_t jobsOpen = 0;
    size_t unanswered = 0;
    size_t jobSize = kFirstJob;
    if (progress && !progress(prog)) // the plan's size, before the first call
        summary.cancelled = true;

    // Takes the next items to send, within the window; empty when there is nothing to take.
    auto takeChunk = [&] {
        std::vector<size_t> chunk;
        std::lock_guard lock(mutex);
        const size_t room = kMaxUnanswered - std::min(kMaxUnanswered, unanswered);
        const size_t n = std::min({jobSize, queue.size(), room});
        chunk.assign(queue.begin(), queue.begin() + qsizetype(n));
        queue.erase(queue.begin(), queue.begin() + qsizetype(n));
        unanswered += n;
        return chunk;
    };

    auto submitChunk = [&](const std::vector<size_t> &chunk) {
        // The chunk's texts are read in one transaction: each read on its own took and released
        // the log's read lock, and after every commit of the writer started from an empty page
        // cache, reading the same pages again (about one read of the disk per response).
        const store::ReadSnapshot snapshot(texts->db());
        std::vector<llm::LlmRequest> requests;
        requests.reserve(chunk.size());
        std::vector<size_t> tags; // request tag -> item index
        tags.reserve(chunk.size());
        // The preview's keys, when every request of the job is a previewed one.
        std::vector<llm::LlmCache::Keyed> keyed;
        bool allKeyed = previewed && previewed->keyed.size() == plan.items.size();
        for (const size_t index : chunk) {
            const WorkItem &item = plan.items[index];
            if (previewed && parseAttempts[index] == 0) {
                llm::LlmRequest r = std::move(previewed->requests[index]);
                r.tag = tags.size();
                requests.push_back(std::move(r));
                tags.push_back(index);
                if (allKeyed)
                    keyed.push_back(std::move(previewed->keyed[index]));
                continue;
            }
            allKeyed = false;
            auto rendered = texts->render(tpl, item, config.showWeights);
            if (!rendered) {
                // This item fails, with its reason stored; the rest of the run goes on.
                CallRecord rec;
                rec.responseId = item.responseId;
                rec.grading = item.grading;
                rec.error = rendered.error().message;
                markFailed(rec, item, rec.error);
                std::lock_guard lock(mutex);
                --unanswered;
                ++prog.callsDone;
                ++prog.failedCalls;
                if (summary.failures.size() < kMaxFailuresListed)
                    summary.failures
                        << QStringLiteral("response %1: %2").arg(item.responseId).arg(rec.error);
                pending.push_back(std::move(rec));
                continue;
            }
            llm::LlmRequest r =
                judgeRequest(config, item, std::move(rendered.value()), parseAttempts[index]);
            r.tag = tags.size();
            requests.push_back(std::move(r));
            tags.push_back(index);
        }
        if (requests.empty())
            return; // every item of the chunk failed before a call
        if (!allKeyed)
            keyed.clear(); // keyed on submission instead
        {
            std::lock_guard lock(mutex);
            ++jobsOpen;
        }
        jobs.push_back(m_scheduler.submit(
            config.provider, std::move(requests), options,
            [&, tags = std::move(tags)](std::uint64_t, const llm::LlmResult &res) {
                const size_t index = tags[res.tag];
                const WorkItem &item = plan.items[index];
                JudgeAnswer answer =
                    readJudgeAnswer(config, item, res, parseAttempts[index], options.cacheOnly);
                std::lock_guard lock(mutex);
                if (--unanswered == kMaxUnanswered - 1 && !queue.empty())
                    wake.notify_all(); // room in the window again
                ++prog.callsDone;
                if (answer.kind == JudgeAnswer::Kind::NotCached) {
                    ++summary.notCached; // planned again by the next run
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
                switch (answer.kind) {
                case JudgeAnswer::Kind::Reask:
                    --prog.callsDone; // it will be asked again
                    ++parseAttempts[index];
                    if (!summary.cancelled) {
                        queue.push_back(index);
                        wake.notify_all();
                    }
                    return;
                case JudgeAnswer::Kind::Failed:
                    ++prog.failedCalls;
                    if (summary.failures.size() < kMaxFailuresListed)
                        summary.failures << QStringLiteral("response %1: %2")
                                                .arg(item.responseId)
                                                .arg(answer.error);
                    break;
                case JudgeAnswer::Kind::Refused:
                    ++prog.refusedCalls;
                    break;
                case JudgeAnswer::Kind::Stored:
                case JudgeAnswer::Kind::NotCached:
                    break;
                }
                pending.push_back(std::move(answer.record));
            },
            [&](std::uint64_t, const llm::JobSummary &) {
                std::lock_guard lock(mutex);
                --jobsOpen;
                wake.notify_all();
            },
            std::move(keyed)));
        jobSize = std::min(jobSize * 2, kCallsPerJob);
    };

    bool paused = false;
    for (;;) {
        if (m_paused != paused) {
            paused = m_paused;
            for (const std::uint64_t job : jobs)
                paused ? m_scheduler.pause(job) : m_scheduler.resume(job);
        }
        if (!summary.cancelled && !paused) {
            if (auto chunk = takeChunk(); !chunk.empty()) {
                submitChunk(chunk);
                continue; // keep the judge fed before anything else
            }
        }
        {
            std::unique_lock lock(mutex);
            const auto canSubmit = [&] {
                return !summary.cancelled && !queue.empty() && unanswered < kMaxUnanswered;
            };
            // Done when nothing is out and nothing is left to send (with no job open, nothing
            // is unanswered: the window is never what holds the queue back).
            if (jobsOpen == 0 && (queue.empty() || summary.cancelled))
                break;
            wake.wait_for(lock, std::chrono::milliseconds(100), [&] {
                return (jobsOpen == 0 && queue.empty()) || (!paused && canSubmit());
            });
        }
        flush(false);
        JudgeProgress snapshot;
        {
            std::lock_guard lock(mutex);
            snapshot = prog;
        }
        if (progress && !summary.cancelled && !progress(snapshot)) {
            std::lock_guard lock(mutex);
            summary.cancelled = true;
            for (const std::uint64_t job : jobs)
                m_scheduler.cancel(job);
        }
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

    const QString status = summary.cancelled ? QStringLiteral("cancelled")
                           : summary.failedCalls > 0 || summary.notCached > 0
                               ? QStringLiteral("incomplete")
                               : QStringLiteral("complete");
    (void)setRunStatus(m_store, plan.runId, status);
    return summary;
}

} // namespace rs::judge
