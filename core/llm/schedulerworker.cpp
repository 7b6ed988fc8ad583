#include "schedulerworker.h"

#include "store/projectstore.h"

#include <curl/curl.h>

#include <algorithm>
#include <cmath>

namespace rs::llm {
namespace {

constexpr auto kFlushEvery = std::chrono::milliseconds(250);
constexpr auto kMaxPoll = std::chrono::milliseconds(100);

size_t onBody(char *data, size_t size, size_t n, void *user)
{
    static_cast<std::string *>(user)->append(data, size * n);
    return size * n;
}

size_t onHeader(char *data, size_t size, size_t n, void *user)
{
    const std::string_view line(data, size * n);
    constexpr std::string_view name = "retry-after:";
    if (line.size() > name.size()) {
        bool match = true;
        for (size_t i = 0; i < name.size() && match; ++i)
            match = std::tolower(static_cast<unsigned char>(line[i])) == name[i];
        if (match) {
            auto *slot = static_cast<std::optional<RetryPolicy::Duration> *>(user);
            *slot = RetryPolicy::parseRetryAfter(line.substr(name.size()));
        }
    }
    return size * n;
}

bool retryableTransport(int code)
{
    switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_COULDNT_CONNECT:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return true;
    default:
        return false;
    }
}

double estimateTokens(const LlmRequest &r)
{
    qsizetype chars = r.system.size();
    for (const auto &m : r.messages)
        chars += m.content.size();
    return std::ceil(double(chars) / 4.0) + r.maxTokens;
}

} // namespace

SchedulerWorker::SchedulerWorker(PriceTable prices, store::ProjectStore *store)
    : m_prices(std::move(prices))
{
    if (store)
        m_cache.emplace(*store);
    m_multi = curl_multi_init();
    // Keep enough idle connections around for the highest concurrency we run at.
    curl_multi_setopt(m_multi, CURLMOPT_MAXCONNECTS, 512L);
}

SchedulerWorker::~SchedulerWorker()
{
    for (auto &[easy, t] : m_transfers) {
        curl_multi_remove_handle(m_multi, easy);
        curl_slist_free_all(t->headers);
        curl_easy_cleanup(easy);
    }
    for (CURL *e : m_idleEasy)
        curl_easy_cleanup(e);
    curl_multi_cleanup(m_multi);
}

void SchedulerWorker::stop()
{
    m_stop = true;
    curl_multi_wakeup(m_multi);
}

void SchedulerWorker::post(NewJob job)
{
    {
        std::lock_guard lock(m_inboxMutex);
        m_inbox.push_back(std::move(job));
    }
    curl_multi_wakeup(m_multi);
}

void SchedulerWorker::cancel(std::uint64_t job, std::optional<std::uint64_t> tag)
{
    {
        std::lock_guard lock(m_inboxMutex);
        m_commands.push_back(Command{job, tag});
    }
    curl_multi_wakeup(m_multi);
}

void SchedulerWorker::setPaused(std::uint64_t job, bool paused)
{
    {
        std::lock_guard lock(m_inboxMutex);
        m_commands.push_back(Command{job, std::nullopt, paused ? Command::Kind::Pause : Command::Kind::Resume});
    }
    curl_multi_wakeup(m_multi);
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

void SchedulerWorker::run()
{
    while (!m_stop) {
        drainInbox();
        const auto now = Clock::now();
        promoteDelayed(now);
        startTransfers(now);
        int running = 0;
        curl_multi_perform(m_multi, &running);
        collectFinished();
        if (m_cache && Clock::now() - m_lastFlush > kFlushEvery) {
            m_cache->flush();
            m_lastFlush = Clock::now();
        }
        const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(nextWake(Clock::now()));
        if (wait.count() > 0)
            curl_multi_poll(m_multi, nullptr, 0, int(wait.count()), nullptr);
    }
    // Shutting down: every job still open ends as cancelled, and its callbacks still run.
    std::vector<std::uint64_t> ids;
    for (auto &[id, job] : m_jobs)
        ids.push_back(id);
    for (auto id : ids)
        cancelNow(Command{id, std::nullopt});
    if (m_cache)
        m_cache->flush(true);
}

void SchedulerWorker::drainInbox()
{
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

SchedulerWorker::ProviderState *SchedulerWorker::providerFor(const ProviderConfig &p)
{
    const std::string key = QString(p.name + QLatin1Char('|') + p.baseUrl + QLatin1Char('|') + p.model).toStdString();
    auto &slot = m_providers[key];
    if (!slot) {
        slot = std::make_unique<ProviderState>();
        slot->requests = TokenBucket(p.requestsPerMinute);
        slot->tokens = TokenBucket(p.tokensPerMinute);
        slot->limit = std::max(1, p.maxConcurrency);
    }
    // The latest definition wins: a user who raised the limit wants it now.
    slot->maxLimit = std::max(1, p.maxConcurrency);
    slot->limit = std::clamp(slot->limit, 1, slot->maxLimit);
    return slot.get();
}

void SchedulerWorker::admit(NewJob spec)
{
    auto job = std::make_unique<Job>();
    Job *j = job.get();
    const std::size_t n = spec.requests.size();
    j->spec = std::move(spec);
    j->provider = providerFor(j->spec.provider);
    j->attempts.assign(n, 0);
    j->finished.assign(n, false);
    j->open = n;
    j->summary.total = qint64(n);
    m_jobs.emplace(j->spec.id, std::move(job));

    for (std::size_t i = 0; i < n; ++i) {
        const LlmRequest &r = j->spec.requests[i];
        if (j->spec.keyError) {
            LlmResult res;
            res.tag = r.tag;
            res.errorText = j->spec.keyError->toString();
            complete(j, i, std::move(res));
            continue;
        }
        if (m_cache && !j->spec.options.bypassCache) {
            auto hit = m_cache->lookup(LlmCache::keyFor(j->spec.provider, r));
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
                res.tokensIn = answer.tokensIn;
                res.tokensOut = answer.tokensOut;
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

void SchedulerWorker::promoteDelayed(Clock::time_point now)
{
    while (!m_delayed.empty() && m_delayed.top().due <= now) {
        const Delayed d = m_delayed.top();
        m_delayed.pop();
        // Look the job up by id: a cancelled job may be gone, and its pointer with it.
        auto it = m_jobs.find(d.jobId);
        if (it != m_jobs.end() && !it->second->finished[d.index])
            it->second->provider->ready.emplace_front(it->second.get(), d.index);
    }
}

void SchedulerWorker::startTransfers(Clock::time_point now)
{
    for (auto &[key, ps] : m_providers) {
        while (!ps->ready.empty() && ps->inFlight < ps->limit && now >= ps->pausedUntil) {
            auto [job, index] = ps->ready.front();
            if (job->finished[index]) {
                ps->ready.pop_front();
                continue;
            }
            if (job->paused) {
                job->parked.push_back(index);
                ps->ready.pop_front();
                continue;
            }
            const double tokens = estimateTokens(job->spec.requests[index]);
            if (!ps->requests.tryTake(1, now))
                break;
            if (!ps->tokens.tryTake(tokens, now))
                break;
            ps->ready.pop_front();
            const double cap = job->spec.options.spendingCapUsd;
            if (cap > 0 && job->summary.costUsd >= cap) {
                job->summary.capReached = true;
                ++job->summary.notSent;
                LlmResult res;
                res.tag = job->spec.requests[index].tag;
                res.errorText = QStringLiteral("not sent: the job's spending cap of $%1 was reached")
                                    .arg(cap, 0, 'f', 2);
                complete(job, index, std::move(res));
                maybeFinishJob(job);
                continue;
            }
            start(job, index, now);
        }
    }
}

CURL *SchedulerWorker::takeEasy()
{
    if (!m_idleEasy.empty()) {
        CURL *e = m_idleEasy.back();
        m_idleEasy.pop_back();
        curl_easy_reset(e);
        return e;
    }
    return curl_easy_init();
}

void SchedulerWorker::start(Job *job, std::size_t index, Clock::time_point)
{
    auto t = std::make_unique<Transfer>();
    t->job = job;
    t->index = index;
    t->http = wire::build(job->spec.provider, job->spec.requests[index], job->spec.apiKey);
    t->easy = takeEasy();
    for (const auto &h : t->http.headers)
        t->headers = curl_slist_append(t->headers, h.c_str());
    // An empty Expect stops curl from waiting for "100 Continue" on larger bodies.
    t->headers = curl_slist_append(t->headers, "Expect:");
    CURL *e = t->easy;
    curl_easy_setopt(e, CURLOPT_URL, t->http.url.c_str());
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, t->http.body.data());
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(t->http.body.size()));
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, onBody);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &t->response);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, onHeader);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, &t->retryAfter);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, long(job->spec.provider.timeoutMs));
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, long(std::min(job->spec.provider.timeoutMs, 15000)));
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(e, CURLOPT_PRIVATE, t.get());
    ++job->attempts[index];
    ++job->provider->inFlight;
    curl_multi_add_handle(m_multi, e);
    m_transfers.emplace(e, std::move(t));
}

void SchedulerWorker::releaseTransfer(Transfer *t)
{
    CURL *easy = t->easy;
    curl_multi_remove_handle(m_multi, easy);
    curl_slist_free_all(t->headers);
    --t->job->provider->inFlight;
    m_idleEasy.push_back(easy);
    m_transfers.erase(easy);
}

void SchedulerWorker::collectFinished()
{
    int left = 0;
    while (CURLMsg *msg = curl_multi_info_read(m_multi, &left)) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        auto it = m_transfers.find(msg->easy_handle);
        if (it != m_transfers.end())
            finishTransfer(it->second.get(), int(msg->data.result));
    }
}

void SchedulerWorker::finishTransfer(Transfer *t, int curlCode)
{
    Job *job = t->job;
    const std::size_t index = t->index;
    long status = 0;
    curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
    const std::string body = std::move(t->response);
    const auto retryAfter = t->retryAfter;
    ProviderState *ps = job->provider;
    releaseTransfer(t); // t is gone from here on

    if (curlCode != CURLE_OK) {
        const QString why = QString::fromUtf8(curl_easy_strerror(CURLcode(curlCode)));
        if (retryableTransport(curlCode))
            retryOrFail(job, index, why, 0, std::nullopt);
        else
            retryOrFail(job, index, why, -1, std::nullopt);
        return;
    }
    if (status == 200) {
        auto answer = wire::decode(job->spec.provider.kind, body);
        if (!answer) {
            // A truncated or garbled body is usually transient: ask again.
            retryOrFail(job, index, answer.error().message, 0, std::nullopt);
            return;
        }
        if (++ps->successStreak >= ps->limit && ps->limit < ps->maxLimit) {
            ++ps->limit; // additive increase after a window of clean answers
            ps->successStreak = 0;
        }
        LlmResult res;
        res.tag = job->spec.requests[index].tag;
        res.ok = true;
        res.text = answer->text;
        res.tokensIn = answer->tokensIn;
        res.tokensOut = answer->tokensOut;
        res.httpStatus = 200;
        res.costUsd = m_prices.cost(job->spec.provider.model, res.tokensIn, res.tokensOut);
        if (m_cache)
            m_cache->put(LlmCache::keyFor(job->spec.provider, job->spec.requests[index]),
                         job->spec.provider, job->spec.requests[index],
                         CachedAnswer{res.text, res.tokensIn, res.tokensOut});
        complete(job, index, std::move(res));
        maybeFinishJob(job);
        return;
    }
    const QString why = QStringLiteral("HTTP %1: %2").arg(status).arg(wire::errorMessage(body));
    if (status == 429) {
        // Multiplicative decrease, and the whole provider waits out Retry-After.
        ps->limit = std::max(1, ps->limit / 2);
        ps->successStreak = 0;
        if (retryAfter)
            ps->pausedUntil = std::max(ps->pausedUntil, Clock::now() + *retryAfter);
    }
    retryOrFail(job, index, why, RetryPolicy::retryableStatus(status) ? int(status) : -1, retryAfter);
}

void SchedulerWorker::retryOrFail(Job *job, std::size_t index, const QString &why, int status,
                                  std::optional<RetryPolicy::Duration> retryAfter)
{
    const bool retryable = status >= 0;
    const int attempts = job->attempts[index];
    if (retryable && attempts <= job->spec.provider.maxRetries && !job->cancelled) {
        auto delay = m_retry.delay(attempts - 1);
        if (retryAfter)
            delay = std::max(delay, *retryAfter);
        m_delayed.push(Delayed{Clock::now() + delay, job->spec.id, index});
        return;
    }
    LlmResult res;
    res.tag = job->spec.requests[index].tag;
    res.errorText = attempts > 1 ? QStringLiteral("%1 (after %2 attempts)").arg(why).arg(attempts) : why;
    res.httpStatus = std::max(status, 0);
    complete(job, index, std::move(res));
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
        s.tokensIn += result.tokensIn;
        s.tokensOut += result.tokensOut;
        s.costUsd += result.costUsd;
        if (m_cache)
            m_cache->record(LedgerEntry{job->spec.options.kind, qint64(job->spec.id),
                                        job->spec.provider.name, job->spec.provider.model,
                                        result.tokensIn, result.tokensOut, result.costUsd,
                                        result.cached});
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
    if (m_cache)
        m_cache->flush(true); // the job's cache and ledger rows are stored before "done"
    if (job->spec.onDone)
        job->spec.onDone(id, job->summary);
}

SchedulerWorker::Clock::duration SchedulerWorker::nextWake(Clock::time_point now)
{
    Clock::duration wait = kMaxPoll;
    if (!m_delayed.empty())
        wait = std::min(wait, m_delayed.top().due - now);
    for (auto &[key, ps] : m_providers) {
        if (ps->ready.empty())
            continue;
        if (ps->inFlight < ps->limit) {
            if (now < ps->pausedUntil)
                wait = std::min(wait, ps->pausedUntil - now);
            else {
                auto [job, index] = ps->ready.front();
                wait = std::min(wait, ps->requests.waitFor(1, now));
                wait = std::min(wait, ps->tokens.waitFor(estimateTokens(job->spec.requests[index]), now));
            }
        }
    }
    return std::max(wait, Clock::duration::zero());
}

} // namespace rs::llm
