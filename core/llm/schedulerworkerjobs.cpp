// The job side of SchedulerWorker: jobs coming in through the inbox (admitted, answered from
// the cache or queued), cancelled and paused, each request's one result, and a job's end — its
// "done" handed back through the inbox once the writer committed its rows. Kept apart from the
// request path (sending, retries, rejections) in schedulerworker.cpp.
#include "schedulerworker.h"

#include "secrets.h"

#include <curl/curl.h>

namespace rs::llm {

void SchedulerWorker::post(NewJob job)
{
    // Keyed here, on the posting thread: this worker's thread is the one every job shares.
    // (m_cache is set at construction only, so reading it from another thread is safe.)
    if (m_cache && job.keyed.size() != job.requests.size()) {
        job.keyed.clear();
        job.keyed.reserve(job.requests.size());
        for (const LlmRequest &r : job.requests)
            job.keyed.push_back(LlmCache::keyed(job.provider, r));
    }
    {
        std::lock_guard lock(m_inboxMutex);
        m_inbox.push_back(std::move(job));
    }
    wake();
}

void SchedulerWorker::cancel(std::uint64_t job, std::optional<std::uint64_t> tag)
{
    {
        std::lock_guard lock(m_inboxMutex);
        m_commands.push_back(Command{job, tag});
    }
    wake();
}

void SchedulerWorker::setPaused(std::uint64_t job, bool paused)
{
    {
        std::lock_guard lock(m_inboxMutex);
        m_commands.push_back(Command{job, std::nullopt, paused ? Command::Kind::Pause : Command::Kind::Resume});
    }
    wake();
}

void SchedulerWorker::pauseNow(std::uint64_t id, bool paused)
{
    auto it = m_jobs.find(id);
    if (it == m_jobs.end())
        return;
    Job *job = it->second.get();
    job->paused = paused;
    if (!paused) {
        // Parked requests go back to the front, in their original order.
        auto &ready = job->provider->ready;
        for (auto p = job->parked.rbegin(); p != job->parked.rend(); ++p)
            if (!job->finished[*p])
                ready.emplace_front(job, *p);
        job->parked.clear();
    }
}

void SchedulerWorker::drainInbox()
{
    runDoneCalls();
    std::vector<NewJob> jobs;
    std::vector<Command> commands;
    {
        std::lock_guard lock(m_inboxMutex);
        jobs.swap(m_inbox);
        commands.swap(m_commands);
    }
    for (auto &j : jobs)
        admit(std::move(j));
    for (const auto &c : commands) {
        if (c.kind == Command::Kind::Cancel)
            cancelNow(c);
        else
            pauseNow(c.job, c.kind == Command::Kind::Pause);
    }
}

void SchedulerWorker::admit(NewJob spec)
{
    auto job = std::make_unique<Job>();
    Job *j = job.get();
    const std::size_t n = spec.requests.size();
    j->spec = std::move(spec);
    j->provider = providerFor(j->spec.provider);
    j->provider->probeKey = j->spec.apiKey;
    j->attempts.assign(n, 0);
    j->finished.assign(n, false);
    j->room.assign(n, 1);
    j->lessons.assign(n, 0);
    j->reserved.assign(n, 0.0);
    j->budget = j->spec.options.budget ? j->spec.options.budget
                                       : SpendingBudget::forCap(j->spec.options.spendingCapUsd);
    j->open = n;
    j->summary.total = qint64(n);
    m_jobs.emplace(j->spec.id, std::move(job));

    for (std::size_t i = 0; i < n; ++i) {
        const LlmRequest &r = j->spec.requests[i];
        if (j->spec.keyError) {
            LlmResult res;
            res.tag = r.tag;
            res.errorText = redactSecrets(j->spec.keyError->toString());
            complete(j, i, std::move(res));
            continue;
        }
        if (m_cache && !j->spec.options.bypassCache) {
            auto hit = m_cache->lookup(j->spec.keyed[i].key);
            if (!hit) {
                LlmResult res;
                res.tag = r.tag;
                res.errorText = hit.error().toString();
                complete(j, i, std::move(res));
                continue;
            }
            if (*hit) {
                const CachedAnswer &answer = **hit;
                LlmResult res;
                res.tag = r.tag;
                res.ok = true;
                res.cached = true;
                res.text = answer.text;
                res.refused = answer.refused;
                res.tokensIn = answer.tokensIn;
                res.tokensOut = answer.tokensOut;
                res.tokensReasoning = answer.tokensReasoning;
                res.firstTokenLogprobs = answer.firstTokenLogprobs;
                complete(j, i, std::move(res));
                continue;
            }
        }
        if (j->spec.options.cacheOnly) {
            LlmResult res;
            res.tag = r.tag;
            res.errorText = QString::fromLatin1(kNotCachedError);
            complete(j, i, std::move(res));
            continue;
        }
        j->provider->ready.emplace_back(j, i);
    }
    maybeFinishJob(j);
}

void SchedulerWorker::cancelNow(const Command &c)
{
    auto it = m_jobs.find(c.job);
    if (it == m_jobs.end())
        return;
    Job *job = it->second.get();
    auto matches = [&](std::size_t index) {
        return !c.tag || job->spec.requests[index].tag == *c.tag;
    };
    if (!c.tag) {
        job->cancelled = true;
        job->parked.clear();
    }
    // In-flight transfers are dropped at once; their answers will never be stored.
    std::vector<CURL *> drop;
    for (auto &[easy, t] : m_transfers)
        if (t->job == job && matches(t->index))
            drop.push_back(easy);
    for (CURL *easy : drop) {
        Transfer *t = m_transfers[easy].get();
        const std::size_t index = t->index;
        releaseTransfer(t);
        release(job, index, 0);
        job->finished[index] = true;
        ++job->summary.cancelled;
        --job->open;
    }
    // Queued and delayed requests: marked finished now, skipped when they surface.
    for (std::size_t i = 0; i < job->finished.size(); ++i) {
        if (!job->finished[i] && matches(i)) {
            job->finished[i] = true;
            ++job->summary.cancelled;
            --job->open;
        }
    }
    auto &ready = job->provider->ready;
    ready.erase(std::remove_if(ready.begin(), ready.end(),
                               [&](const auto &p) { return p.first == job && job->finished[p.second]; }),
                ready.end());
    maybeFinishJob(job);
}

void SchedulerWorker::complete(Job *job, std::size_t index, LlmResult result)
{
    if (job->finished[index])
        return;
    job->finished[index] = true;
    --job->open;
    result.attempts = job->attempts[index];
    JobSummary &s = job->summary;
    if (result.ok) {
        ++s.succeeded;
        s.cached += result.cached;
        s.refused += result.refused;
        s.tokensIn += result.tokensIn;
        s.tokensCachedIn += result.tokensCachedIn;
        s.tokensOut += result.tokensOut;
        s.tokensReasoning += result.tokensReasoning;
        s.costUsd += result.costUsd;
        if (m_cache)
            m_cache->record(LedgerEntry{
                job->spec.options.kind, qint64(job->spec.id), job->spec.provider.name,
                job->spec.provider.model, result.tokensIn, result.tokensOut, result.costUsd,
                result.cached, result.tokensCachedIn, result.tokensReasoning});
    } else {
        ++s.failed;
    }
    if (job->spec.onResult)
        job->spec.onResult(job->spec.id, result);
}

void SchedulerWorker::maybeFinishJob(Job *job)
{
    if (job->open != 0)
        return;
    const auto id = job->spec.id;
    auto node = m_jobs.extract(id);
    if (node.empty())
        return;
    saveLessons();
    if (!job->spec.onDone)
        return;
    if (!m_cache) {
        job->spec.onDone(id, job->summary);
        return;
    }
    // The job's cache and ledger rows are stored before "done", but this thread does not wait
    // for the commit (it would hold up every other job's calls): the writer hands "done" back
    // through the inbox, and it runs here, on this thread, like every other callback.
    m_cache->flush([this, done = std::move(job->spec.onDone), id, summary = job->summary] {
        {
            std::lock_guard lock(m_inboxMutex);
            m_doneCalls.push_back([done, id, summary] { done(id, summary); });
        }
        wake();
    });
}

void SchedulerWorker::runDoneCalls() {
    std::vector<std::function<void()>> calls;
    {
        std::lock_guard lock(m_inboxMutex);
        calls.swap(m_doneCalls);
    }
    for (auto &call : calls)
        call();
}

} // namespace rs::llm
