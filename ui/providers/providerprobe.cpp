#include "providers/providerprobe.h"

#include "common/asynctask.h"
#include "llm/capabilitystore.h"
#include "llm/llmscheduler.h"
#include "llm/pricetable.h"
#include "llm/wireprotocol.h"
#include "providers/keychainkeyresolver.h"

#include <QElapsedTimer>
#include <QLocale>
#include <QThreadPool>

namespace rs::ui {

ProviderProbe::ProviderProbe(std::shared_ptr<KeychainKeyResolver> keys, QObject *parent)
    : QObject(parent)
    , m_keys(std::move(keys)) {}

ProviderProbe::~ProviderProbe() {
    // The worker sees the stop at once (its request is dropped, a description fetch aborted)
    // and ends on its own; its result goes nowhere, as the watcher dies with this object.
    m_stop.request_stop();
}

void ProviderProbe::start(const llm::ProviderConfig &provider) {
    cancel();
    m_running = true;
    const quint64 attempt = ++m_attempt;
    // A keychain key is read first (asynchronously): the scheduler asks for it on the worker,
    // which must not wait for this thread.
    m_keys->whenReady(provider, this, [this, provider, attempt] {
        if (attempt == m_attempt && m_running)
            run(provider, attempt);
    });
}

void ProviderProbe::run(const llm::ProviderConfig &provider, quint64 attempt) {
    auto key = m_keys->key(provider);
    if (!key) {
        Result r;
        r.provider = provider;
        r.error = llm::wire::redact(key.error().message);
        finish(r);
        return;
    }

    // A test should answer quickly and say what is wrong: no retries, a bounded timeout.
    // Resends after a rejection the model explains are not retries: that is how it learns.
    llm::ProviderConfig p = provider;
    p.maxRetries = 0;
    p.maxConcurrency = 1;
    p.timeoutMs = qMin(provider.timeoutMs, kMaxTimeoutMs);

    runAsync(
        this, QThreadPool::globalInstance(),
        [p, apiKey = key.value(), keys = m_keys, stop = m_stop.get_token()]() -> Result {
            Result r;
            r.provider = p;
            QElapsedTimer clock;
            clock.start();
            // A scheduler of its own, without a project: nothing is cached or written to a
            // ledger, and the test cannot queue behind a running judge job.
            llm::LlmScheduler scheduler(llm::PriceTable(), nullptr, keys);
            auto report =
                llm::probeModel(scheduler, p, apiKey, *llm::CapabilityStore::shared(), stop);
            r.latencyMs = clock.elapsed();
            if (!report) {
                r.error = llm::wire::redact(report.error().toString(), apiKey);
                return r;
            }
            r.ok = report->answered;
            r.error = llm::wire::redact(report->error, apiKey);
            r.report = std::move(report.value());
            return r;
        },
        [this, attempt](Result r) {
            if (attempt == m_attempt && m_running) // else cancelled or superseded
                finish(std::move(r));
        });
}

void ProviderProbe::finish(Result result) {
    m_running = false;
    Q_EMIT finished(result);
}

void ProviderProbe::cancel() {
    ++m_attempt;
    m_running = false;
    m_stop.request_stop();
    m_stop = std::stop_source(); // the next test gets a fresh one
}

QString ProviderProbe::describe(const Result &r) {
    if (!r.ok)
        return tr("Failed: %1").arg(r.error.isEmpty() ? tr("no answer") : r.error);
    return tr("OK in %1 ms · what the model accepts is stored for the next runs")
        .arg(QLocale().toString(r.latencyMs));
}

} // namespace rs::ui
