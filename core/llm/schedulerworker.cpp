#include "schedulerworker.h"

#include "secrets.h"
#include "store/projectstore.h"

#include <curl/curl.h>

#include <algorithm>
#include <cmath>

namespace rs::llm {
namespace {

constexpr auto kFlushEvery = std::chrono::milliseconds(250);
constexpr auto kMaxPoll = std::chrono::milliseconds(100);
constexpr int kMaxRoom = 4;    // a cut answer is asked again with 2x, then 4x the tokens
constexpr int kMaxLessons = 8; // rejections learned from per request before it fails

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

SchedulerWorker::SchedulerWorker(PriceTable prices, store::ProjectStore *store,
                                 std::shared_ptr<CapabilityStore> capabilities)
    : m_prices(std::move(prices))
    , m_capabilities(std::move(capabilities)) {
    if (store)
        m_cache.emplace(*store);
    m_multi = curl_multi_init();
    // Keep enough idle connections around for the highest concurrency we run at.
    curl_multi_setopt(m_multi, CURLMOPT_MAXCONNECTS, 512L);
    m_loop = std::make_unique<CurlSocketLoop>(m_multi);
}

SchedulerWorker::~SchedulerWorker()
{
    for (auto &[easy, t] : m_transfers) {
        curl_multi_remove_handle(m_multi, easy);
        curl_slist_free_all(t->headers);
        curl_easy_cleanup(easy);
    }
    for (auto &[easy, probe] : m_probes) {
        curl_multi_remove_handle(m_multi, easy);
        curl_slist_free_all(probe->headers);
        curl_easy_cleanup(easy);
    }
    for (CURL *e : m_idleEasy)
        curl_easy_cleanup(e);
    curl_multi_cleanup(m_multi);
}

void SchedulerWorker::stop()
{
    m_stop = true;
    wake();
}

void SchedulerWorker::wake() {
    m_loop->wake();
}

void SchedulerWorker::run() {
    while (!m_stop) {
        drainInbox();
        const auto now = Clock::now();
        promoteDelayed(now);
        startTransfers(now);
        m_loop->runDue(); // a transfer just added is started here
        collectFinished();
        if (m_replicasChanged)
            publishReplicas();
        if (m_cache && Clock::now() - m_lastFlush > kFlushEvery) {
            m_cache->flush();
            m_lastFlush = Clock::now();
        }
        m_loop->wait(nextWake(Clock::now()));
        collectFinished();
    }
    // Shutting down: every job still open ends as cancelled, and its callbacks still run.
    std::vector<std::uint64_t> ids;
    for (auto &[id, job] : m_jobs)
        ids.push_back(id);
    for (auto id : ids)
        cancelNow(Command{id, std::nullopt});
    if (m_cache)
        m_cache->flush(true); // the writer is first in, first out: every job's "done" is queued
    runDoneCalls();
    saveLessons();
}

SchedulerWorker::ProviderState *SchedulerWorker::providerFor(const ProviderConfig &p)
{
    // The replicas are part of the key: another list of URLs is another pool to balance over.
    const std::string key =
        QString(p.name + QLatin1Char('|') + p.allBaseUrls().join(QLatin1Char(',')) +
                QLatin1Char('|') + p.model)
            .toStdString();
    auto &slot = m_providers[key];
    if (!slot) {
        slot = std::make_unique<ProviderState>();
        slot->requests = TokenBucket(p.requestsPerMinute);
        slot->tokens = TokenBucket(p.tokensPerMinute);
        slot->limit = std::max(1, p.maxConcurrency);
        slot->config = p;
        slot->replicas = ReplicaPool(p.allBaseUrls());
        m_replicasChanged = true;
        const auto known = m_capabilities ? m_capabilities->find(p) : std::nullopt;
        slot->caps = known.value_or(ModelCapabilities::defaultsFor(p.kind));
        slot->defaultCaps = slot->caps == ModelCapabilities::defaultsFor(p.kind);
    }
    // The latest definition wins: a user who raised the limit wants it now.
    slot->maxLimit = std::max(1, p.maxConcurrency);
    slot->limit = std::clamp(slot->limit, 1, slot->maxLimit);
    return slot.get();
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
        if (ps->replicas.tracksHealth())
            startProbes(ps.get(), now);
        const int limit = ps->probing ? 1 : ps->limit;
        while (!ps->ready.empty() && ps->inFlight < limit && now >= ps->pausedUntil) {
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
            // The call's worst case is reserved before it is sent, so calls in flight can never
            // add up past the cap, at any concurrency.
            if (job->budget) {
                const double worst = worstCost(job, index);
                if (!job->budget->reserve(worst)) {
                    job->summary.capReached = true;
                    ++job->summary.notSent;
                    LlmResult res;
                    res.tag = job->spec.requests[index].tag;
                    res.errorText =
                        QStringLiteral("not sent: the run's spending cap of $%1 was reached")
                            .arg(job->budget->cap(), 0, 'f', 2);
                    complete(job, index, std::move(res));
                    maybeFinishJob(job);
                    continue;
                }
                job->reserved[index] = worst;
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
    LlmRequest request = job->spec.requests[index];
    request.maxTokens *= job->room[index];
    // Only the URL differs between replicas; the cache key keeps the first (see finishTransfer).
    t->replica = job->provider->replicas.pick();
    job->provider->replicas.started(t->replica);
    m_replicasChanged = true;
    ProviderConfig target = job->spec.provider;
    target.baseUrl = job->provider->replicas.url(t->replica);
    // The body built with the cache key on the caller's thread, when it is what this attempt
    // sends: nothing learned about the model and no more room asked for.
    std::string *ahead = index < job->spec.keyed.size() ? &job->spec.keyed[index].body : nullptr;
    if (ahead && !ahead->empty() && job->provider->defaultCaps && job->room[index] == 1)
        t->http = wire::build(target, job->provider->caps, std::move(*ahead), job->spec.apiKey);
    else
        t->http = wire::build(target, job->provider->caps, request, job->spec.apiKey);
    t->capsGeneration = job->provider->capsGeneration;
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

void SchedulerWorker::releaseTransfer(Transfer *t, bool answered, bool replicaFault) {
    CURL *easy = t->easy;
    t->job->provider->replicas.finished(t->replica, answered, replicaFault, Clock::now());
    m_replicasChanged = true;
    curl_multi_remove_handle(m_multi, easy);
    curl_slist_free_all(t->headers);
    --t->job->provider->inFlight;
    m_idleEasy.push_back(easy);
    m_transfers.erase(easy);
}

void SchedulerWorker::collectFinished()
{
    // Answers are read after the calls taking their places have gone out. A wave of answers
    // arrives together; reading each one (its JSON, then the caller's callback) before sending
    // anything held every next call back by the whole wave's reading, a few milliseconds per
    // wave. Failures are handled at once, in order: a 429 must pause the provider before more
    // calls go to it.
    std::vector<Answered> answered;
    int left = 0;
    while (CURLMsg *msg = curl_multi_info_read(m_multi, &left)) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        if (m_probes.count(msg->easy_handle) != 0) {
            finishProbe(msg->easy_handle, int(msg->data.result));
            continue;
        }
        auto it = m_transfers.find(msg->easy_handle);
        if (it != m_transfers.end())
            finishTransfer(it->second.get(), int(msg->data.result), answered);
    }
    if (answered.empty())
        return;
    startTransfers(Clock::now());
    m_loop->runDue(); // sends what was just started
    for (Answered &a : answered)
        readAnswer(a.job, a.index, a.body);
}

void SchedulerWorker::finishTransfer(Transfer *t, int curlCode, std::vector<Answered> &answered) {
    Job *job = t->job;
    const std::size_t index = t->index;
    long status = 0;
    curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
    std::string body = std::move(t->response);
    const auto retryAfter = t->retryAfter;
    const int generation = t->capsGeneration;
    ProviderState *ps = job->provider;
    // A replica that cannot be reached, times out or fails on the server side is taken out of
    // the rotation; the request goes to another one at once, as one ordinary retry.
    const bool fault = (curlCode != CURLE_OK && retryableTransport(curlCode)) ||
                       (curlCode == CURLE_OK && status >= 500);
    releaseTransfer(t, curlCode == CURLE_OK && status == 200, fault); // t is gone from here on
    const bool moveOn = fault && ps->replicas.tracksHealth() && ps->replicas.anyUp();

    if (curlCode != CURLE_OK) {
        release(job, index, 0);
        const QString why = QString::fromUtf8(curl_easy_strerror(CURLcode(curlCode)));
        if (retryableTransport(curlCode))
            retryOrFail(job, index, why, 0, std::nullopt, moveOn);
        else
            retryOrFail(job, index, why, -1, std::nullopt);
        return;
    }
    if (status == 200) {
        answered.push_back(Answered{job, index, std::move(body)});
        return;
    }
    release(job, index, 0);
    if (handleRejection(job, index, int(status), body, generation))
        return;
    const QString why = QStringLiteral("HTTP %1: %2")
                            .arg(status)
                            .arg(wire::redact(wire::errorMessage(body), job->spec.apiKey));
    if (status == 429) {
        // Multiplicative decrease, and the whole provider waits out Retry-After.
        ps->limit = std::max(1, ps->limit / 2);
        ps->successStreak = 0;
        if (retryAfter)
            ps->pausedUntil = std::max(ps->pausedUntil, Clock::now() + *retryAfter);
    }
    retryOrFail(job, index, why, RetryPolicy::retryableStatus(status) ? int(status) : -1,
                retryAfter, moveOn && status >= 500);
}

void SchedulerWorker::readAnswer(Job *job, std::size_t index, const std::string &body)
{
    ProviderState *ps = job->provider;
    auto answer = wire::decode(job->spec.provider.kind, body);
    if (!answer) {
        // A truncated or garbled body is usually transient: ask again.
        release(job, index, 0);
        retryOrFail(job, index, answer.error().message, 0, std::nullopt);
        return;
    }
    ps->probing = false;
    if (++ps->successStreak >= ps->limit && ps->limit < ps->maxLimit) {
        ++ps->limit; // additive increase after a window of clean answers
        ps->successStreak = 0;
    }
    const double cost =
        m_prices.cost(job->spec.provider.model, answer->tokensIn, answer->tokensCachedIn,
                      answer->tokensCacheWrite, answer->tokensOut);
    release(job, index, cost);
    LlmResult res;
    res.tag = job->spec.requests[index].tag;
    res.httpStatus = 200;
    if (answer->contextExceeded) {
        // More room cannot help: the prompt itself does not fit.
        res.errorText = QStringLiteral("the prompt does not fit the model's context window "
                                       "(stop_reason model_context_window_exceeded)");
        complete(job, index, std::move(res));
        maybeFinishJob(job);
        return;
    }
    if (answer->cut && !answer->refused && !job->spec.requests[index].cutIsAnswer) {
        // Cut off for lack of room: ask again with more, never hotter. What was paid for the
        // cut answer is spent all the same.
        job->summary.costUsd += cost;
        if (job->room[index] < kMaxRoom) {
            job->room[index] *= 2;
            requeueNow(job, index);
            return;
        }
        // Still cut with the most room we give: the caller decides whether what came is
        // usable (a verdict before a rambling explanation). Not cached: a later run asks again.
        res.ok = true;
        res.cut = true;
        res.text = answer->text;
        res.tokensIn = answer->tokensIn;
        res.tokensOut = answer->tokensOut;
        complete(job, index, std::move(res));
        maybeFinishJob(job);
        return;
    }
    res.ok = true;
    res.refused = answer->refused;
    res.text = answer->text;
    res.tokensIn = answer->tokensIn;
    res.tokensCachedIn = answer->tokensCachedIn;
    res.tokensCacheWrite = answer->tokensCacheWrite;
    res.tokensOut = answer->tokensOut;
    res.tokensReasoning = answer->tokensReasoning;
    res.firstTokenLogprobs = answer->firstTokenLogprobs;
    res.costUsd = cost;
    if (m_cache) {
        CachedAnswer cached{res.text, res.tokensIn, res.tokensOut};
        cached.refused = res.refused;
        cached.tokensReasoning = res.tokensReasoning;
        cached.firstTokenLogprobs = res.firstTokenLogprobs;
        // Answered once: the canonical body moves into the cache row.
        m_cache->put(std::move(job->spec.keyed[index]), job->spec.provider, cached);
    }
    complete(job, index, std::move(res));
    maybeFinishJob(job);
}

void SchedulerWorker::retryOrFail(Job *job, std::size_t index, const QString &why, int status,
                                  std::optional<RetryPolicy::Duration> retryAfter, bool elsewhere) {
    const bool retryable = status >= 0;
    const int attempts = job->attempts[index];
    if (retryable && attempts <= job->spec.provider.maxRetries && !job->cancelled) {
        auto delay = m_retry.delay(attempts - 1);
        if (retryAfter)
            delay = std::max(delay, *retryAfter);
        if (elsewhere)
            delay = RetryPolicy::Duration::zero(); // a healthy replica takes it now
        m_delayed.push(Delayed{Clock::now() + delay, job->spec.id, index});
        return;
    }
    LlmResult res;
    res.tag = job->spec.requests[index].tag;
    const QString clean = wire::redact(why, job->spec.apiKey);
    res.errorText =
        attempts > 1 ? QStringLiteral("%1 (after %2 attempts)").arg(clean).arg(attempts) : clean;
    res.httpStatus = std::max(status, 0);
    complete(job, index, std::move(res));
    maybeFinishJob(job);
}

SchedulerWorker::Clock::duration SchedulerWorker::nextWake(Clock::time_point now)
{
    Clock::duration wait = kMaxPoll;
    if (!m_delayed.empty())
        wait = std::min(wait, m_delayed.top().due - now);
    for (auto &[key, ps] : m_providers) {
        if (ps->replicas.tracksHealth()) {
            const auto probe = ps->replicas.nextProbe();
            if (probe != Clock::time_point::max())
                wait = std::min(wait, probe - now);
        }
        if (ps->ready.empty())
            continue;
        if (ps->inFlight < (ps->probing ? 1 : ps->limit)) {
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

namespace rs::llm {

bool SchedulerWorker::handleRejection(Job *job, std::size_t index, int status,
                                      const std::string &body, int generation) {
    if (status != 400 && status != 403 && status != 404 && status != 422)
        return false;
    ProviderState *ps = job->provider;
    if (job->lessons[index] >= kMaxLessons || job->cancelled)
        return false;
    // Built before the last lesson: send it again as requests are built now.
    bool again = generation < ps->capsGeneration;
    if (!again && ps->caps.learn(job->spec.provider.kind, status, body)) {
        ++ps->capsGeneration;
        ps->defaultCaps = false;
        ps->capsDirty = true;
        ps->probing = true;
        again = true;
    }
    if (!again)
        return false;
    ++job->lessons[index];
    --job->attempts[index]; // a rejected parameter is not a failed attempt
    requeueNow(job, index);
    return true;
}

void SchedulerWorker::requeueNow(Job *job, std::size_t index) {
    job->provider->ready.emplace_front(job, index);
}

double SchedulerWorker::worstCost(const Job *job, std::size_t index) const {
    const LlmRequest &r = job->spec.requests[index];
    const double tokens = estimateTokens(r) - r.maxTokens;
    const qint64 out = qint64(r.maxTokens) * job->room[index] + std::max(0, r.thinkingBudget);
    // A cache write is the dearest way to read input.
    return m_prices.cost(job->spec.provider.model, qint64(tokens), 0, qint64(tokens), out);
}

void SchedulerWorker::release(Job *job, std::size_t index, double actualCost) {
    if (!job->budget)
        return;
    job->budget->settle(job->reserved[index], actualCost);
    job->reserved[index] = 0;
}

void SchedulerWorker::saveLessons() {
    if (!m_capabilities)
        return;
    for (auto &[key, ps] : m_providers) {
        if (!ps->capsDirty)
            continue;
        ps->capsDirty = false;
        (void)m_capabilities->put(ps->config, ps->caps); // lost lessons are learned again
    }
}

} // namespace rs::llm
