#include "llmscheduler.h"

#include "common/threadname.h"
#include "schedulerworker.h"
#include "secrets.h"

#include <future>

namespace rs::llm {

LlmScheduler::LlmScheduler(PriceTable prices, store::ProjectStore *store,
                           std::shared_ptr<const KeyResolver> keys)
    : m_worker(std::make_unique<SchedulerWorker>(std::move(prices), store))
    , m_keys(std::move(keys)) {
    m_thread = std::thread([w = m_worker.get()] {
        nameThisThread("rs-llm");
        w->run();
    });
}

LlmScheduler::~LlmScheduler()
{
    m_worker->stop();
    m_thread.join();
}

std::uint64_t LlmScheduler::submit(const ProviderConfig &provider, std::vector<LlmRequest> requests,
                                   const JobOptions &options, ResultFn onResult, DoneFn onDone,
                                   std::vector<LlmCache::Keyed> keyed) {
    SchedulerWorker::NewJob job;
    job.id = m_nextId++;
    job.provider = provider;
    // The key is read now, on the caller's thread, and lives only in this job's memory.
    auto key = m_keys->key(provider);
    if (key) {
        job.apiKey = key.value();
        registerSecret(job.apiKey); // so that no error text anywhere can carry it
    } else {
        job.keyError = key.error();
    }
    job.requests = std::move(requests);
    job.keyed = std::move(keyed); // checked, or computed when missing, by post()
    job.options = options;
    job.onResult = std::move(onResult);
    job.onDone = std::move(onDone);
    const auto id = job.id;
    m_worker->post(std::move(job));
    return id;
}

void LlmScheduler::cancel(std::uint64_t job) { m_worker->cancel(job, std::nullopt); }

void LlmScheduler::cancelRequest(std::uint64_t job, std::uint64_t tag) { m_worker->cancel(job, tag); }

std::vector<ReplicaState> LlmScheduler::replicaStates(const QString &providerName) const {
    return m_worker->replicaStates(providerName);
}

void LlmScheduler::pause(std::uint64_t job) { m_worker->setPaused(job, true); }

void LlmScheduler::resume(std::uint64_t job) { m_worker->setPaused(job, false); }

JobSummary LlmScheduler::runBlocking(const ProviderConfig &provider,
                                     std::vector<LlmRequest> requests, const JobOptions &options,
                                     std::vector<LlmResult> *results, const std::stop_token &stop) {
    std::promise<JobSummary> done;
    auto future = done.get_future();
    const std::uint64_t job = submit(
        provider, std::move(requests), options,
        [results](std::uint64_t, const LlmResult &r) {
            if (results)
                results->push_back(r); // the worker thread is the only writer until done
        },
        [&done](std::uint64_t, const JobSummary &s) { done.set_value(s); });
    // Runs at once when the stop came before; a cancelled job still ends with onDone, so the
    // wait below returns either way.
    const std::stop_callback onStop(stop, [this, job] { cancel(job); });
    return future.get();
}

} // namespace rs::llm
