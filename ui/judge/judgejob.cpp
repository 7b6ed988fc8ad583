#include "judge/judgejob.h"

#include "llm/keyresolver.h"
#include "llm/llmscheduler.h"
#include "llm/providerregistry.h"
#include "project/projectsession.h"
#include "store/projectstore.h"
#include "common/uilogging.h"

#include <QtConcurrent/QtConcurrentRun>

namespace rs::ui {
namespace {

// Below this much running time an ETA is noise (connection set-up, the first answers).
constexpr qint64 kJudgeEtaMinMs = 1000;

bool sameCounts(const judge::JudgeProgress &a, const judge::JudgeProgress &b) {
    return a.callsDone == b.callsDone && a.callsTotal == b.callsTotal &&
           a.failedCalls == b.failedCalls && a.cachedCalls == b.cachedCalls &&
           a.tokens == b.tokens && a.costUsd == b.costUsd;
}

} // namespace

JudgeJob::JudgeJob(ProjectSession &session, std::shared_ptr<const llm::KeyResolver> keys,
                   QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_keys(std::move(keys))
    , m_shared(std::make_shared<Shared>()) {
    m_pool.setMaxThreadCount(1);
    connect(&m_watcher, &QFutureWatcherBase::finished, this, &JudgeJob::onFinished);
}

JudgeJob::~JudgeJob() {
    if (m_running) {
        m_shared->cancel.store(true);
        m_watcher.waitForFinished();
        m_session.endJob();
    }
}

bool JudgeJob::start(const judge::JudgeConfig &config, const llm::JobOptions &options) {
    if (m_started || !m_session.store())
        return false;
    m_started = true;
    m_running = true;
    m_config = config;
    m_options = options;
    m_session.beginJob();
    setState(State::Starting);

    store::ProjectStore *store = m_session.store();
    auto keys = m_keys;
    auto shared = m_shared;
    // The lambda uses `this` only to post to it; the destructor waits for the lambda to end.
    m_watcher.setFuture(QtConcurrent::run(
        &m_pool,
        [this, store, keys, shared, config, options]() -> Expected<judge::JudgeRunSummary> {
            auto prices = llm::ProviderRegistry::loadPrices();
            if (!prices)
                qCWarning(lcUi) << "no price table:" << prices.error().toString();
            const llm::PriceTable table = prices ? prices.value() : llm::PriceTable();
            const bool priced = table.has(config.provider.model);
            // Without a key every call would fail and be stored as a failed verdict: say so
            // once instead. (A keychain key may take a moment: this waits here, not in the GUI.)
            if (auto key = keys->key(config.provider); !key)
                return key.error();
            if (shared->cancel.load()) {
                judge::JudgeRunSummary nothing;
                nothing.cancelled = true;
                return nothing;
            }
            llm::LlmScheduler scheduler(table, store, keys);
            judge::JudgeRunner runner(*store, scheduler);
            judge::JudgeProgress last;
            bool first = true;
            return runner.run(config, options, [&](const judge::JudgeProgress &p) {
                runner.setPaused(shared->paused.load());
                if (first || !sameCounts(p, last)) {
                    first = false;
                    last = p;
                    QMetaObject::invokeMethod(
                        this,
                        [this, p, priced] {
                            m_priced = priced;
                            onProgress(p);
                        },
                        Qt::QueuedConnection);
                }
                return !shared->cancel.load();
            });
        }));
    qCInfo(lcUi) << "judge job started:" << m_name;
    return true;
}

bool JudgeJob::startTask(const llm::ProviderConfig &provider, Task task) {
    if (m_started || !m_session.store())
        return false;
    m_started = true;
    m_running = true;
    m_config.provider = provider;
    m_session.beginJob();
    setState(State::Starting);
    store::ProjectStore *store = m_session.store();
    auto keys = m_keys;
    auto shared = m_shared;
    m_watcher.setFuture(QtConcurrent::run(
        &m_pool, [this, store, keys, shared, provider, task]() -> Expected<judge::JudgeRunSummary> {
            auto prices = llm::ProviderRegistry::loadPrices();
            const llm::PriceTable table = prices ? prices.value() : llm::PriceTable();
            const bool priced = table.has(provider.model);
            if (auto key = keys->key(provider); !key)
                return key.error();
            llm::LlmScheduler scheduler(table, store, keys);
            judge::JudgeProgress last;
            bool first = true;
            return task(scheduler, *store,
                        [&](const judge::JudgeProgress &p) {
                            if (first || !sameCounts(p, last)) {
                                first = false;
                                last = p;
                                QMetaObject::invokeMethod(
                                    this,
                                    [this, p, priced] {
                                        m_priced = priced;
                                        onProgress(p);
                                    },
                                    Qt::QueuedConnection);
                            }
                            return !shared->cancel.load();
                        },
                        shared->paused);
        }));
    qCInfo(lcUi) << "task job started:" << m_name;
    return true;
}

void JudgeJob::cancel() {
    if (!isActive() || m_state == State::Cancelling)
        return;
    m_shared->cancel.store(true);
    if (m_active.isValid()) {
        m_activeBeforeMs += m_active.elapsed();
        m_active.invalidate();
    }
    setState(State::Cancelling);
}

void JudgeJob::setPaused(bool paused) {
    if (!canPause() || paused == (m_state == State::Paused))
        return;
    m_shared->paused.store(paused);
    if (paused) {
        if (m_active.isValid())
            m_activeBeforeMs += m_active.elapsed();
        m_active.invalidate();
        m_eta = -1;
    } else {
        m_active.start();
    }
    setState(paused ? State::Paused : State::Running);
    Q_EMIT progressChanged(); // the ETA changed
}

bool JudgeJob::isActive() const {
    switch (m_state) {
    case State::Starting:
    case State::Running:
    case State::Paused:
    case State::Cancelling:
        return true;
    default:
        return false;
    }
}

qint64 JudgeJob::elapsedSeconds() const {
    const qint64 ms = m_activeBeforeMs + (m_active.isValid() ? m_active.elapsed() : 0);
    return ms / 1000;
}

QStringList JudgeJob::failures() const {
    if (m_state == State::Failed)
        return {m_error};
    return m_summary.failures;
}

void JudgeJob::setState(State state) {
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void JudgeJob::onProgress(const judge::JudgeProgress &progress) {
    if (!m_running)
        return;
    if (m_state == State::Starting) {
        // Planning is over: throughput is measured from the first call on.
        m_active.start();
        m_activeBeforeMs = 0;
        setState(m_shared->paused.load() ? State::Paused : State::Running);
    }
    m_progress = progress;
    updateEta();
    Q_EMIT progressChanged();
}

void JudgeJob::updateEta() {
    const qint64 done = m_progress.callsDone;
    const qint64 total = m_progress.callsTotal;
    const qint64 ms = m_activeBeforeMs + (m_active.isValid() ? m_active.elapsed() : 0);
    if (m_state != State::Running)
        m_eta = -1;
    else if (total > 0 && done >= total)
        m_eta = 0;
    else if (done > 0 && ms >= kJudgeEtaMinMs)
        m_eta = (ms * (total - done) / done + 999) / 1000;
    else
        m_eta = -1;
}

void JudgeJob::onFinished() {
    m_running = false;
    if (m_active.isValid()) {
        m_activeBeforeMs += m_active.elapsed();
        m_active.invalidate();
    }
    m_session.endJob();
    Expected<judge::JudgeRunSummary> result = m_watcher.future().takeResult();
    m_eta = -1;
    if (!result) {
        m_error = result.error().toString();
        qCInfo(lcUi) << "judge job failed:" << m_name << m_error;
        setState(State::Failed);
    } else {
        m_summary = result.value();
        m_progress.callsTotal = m_summary.callsPlanned;
        m_progress.callsDone = m_summary.callsDone;
        m_progress.failedCalls = m_summary.failedCalls;
        m_progress.cachedCalls = m_summary.cachedCalls;
        m_progress.tokens = m_summary.tokens;
        m_progress.costUsd = m_summary.costUsd;
        qCInfo(lcUi) << "judge job ended:" << m_name << "run" << m_summary.runId
                     << m_summary.callsDone << "of" << m_summary.callsPlanned << "calls,"
                     << m_summary.failedCalls << "failed, cancelled:" << m_summary.cancelled;
        setState(m_summary.cancelled         ? State::Cancelled
                 : m_summary.failedCalls > 0 ? State::Incomplete
                                             : State::Completed);
        // The views re-read verdicts, scores and the run list.
        m_session.notifyChanged();
    }
    Q_EMIT progressChanged();
    Q_EMIT finished();
}

QString JudgeJob::stateText(State state) {
    switch (state) {
    case State::Starting:
        return tr("Starting…");
    case State::Running:
        return tr("Running");
    case State::Paused:
        return tr("Paused");
    case State::Cancelling:
        return tr("Cancelling…");
    case State::Completed:
        return tr("Done");
    case State::Incomplete:
        return tr("Done with failures");
    case State::Cancelled:
        return tr("Cancelled");
    case State::Failed:
        return tr("Failed");
    }
    return {};
}

} // namespace rs::ui
