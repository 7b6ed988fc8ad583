#include "project/importjob.h"

#include "import/importer.h"
#include "project/projectsession.h"
#include "common/uilogging.h"

#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace rs::ui {
namespace {
constexpr int kPollMs = 100;
// Below this much progress an ETA is noise (file-open costs, the first batch's commit).
constexpr qint64 kImportEtaMinMs = 500;
} // namespace

ImportJob::ImportJob(ProjectSession &session, QObject *parent)
    : QObject(parent)
    , m_session(session)
{
    m_pool.setMaxThreadCount(1);
    m_poll.setInterval(kPollMs);
    connect(&m_poll, &QTimer::timeout, this, &ImportJob::poll);
    connect(&m_watcher, &QFutureWatcherBase::finished, this, &ImportJob::onFinished);
}

ImportJob::~ImportJob()
{
    if (m_running) {
        cancel();
        m_watcher.waitForFinished();
        m_session.endJob();
    }
}

bool ImportJob::start(const import::ImportConfig &config)
{
    if (m_running || !m_session.store())
        return false;
    m_session.beginJob();
    m_running = true;
    m_percent = 0;
    m_eta = -1;
    m_progress = std::make_shared<Progress>();
    m_clock.start();
    m_poll.start();
    Q_EMIT progressChanged(0, -1);

    store::ProjectStore *store = m_session.store();
    auto progress = m_progress;
    m_watcher.setFuture(QtConcurrent::run(&m_pool, [store, config, progress] {
        return import::importFiles(*store, config, [progress](qint64 done, qint64 total) {
            progress->done.store(done, std::memory_order_relaxed);
            progress->total.store(total, std::memory_order_relaxed);
            return !progress->cancel.load(std::memory_order_relaxed);
        });
    }));
    qCInfo(lcUi) << "import started:" << config.files;
    return true;
}

void ImportJob::cancel()
{
    if (m_running && m_progress)
        m_progress->cancel.store(true);
}

bool ImportJob::cancelRequested() const
{
    return m_progress && m_progress->cancel.load();
}

void ImportJob::poll()
{
    const qint64 done = m_progress->done.load(std::memory_order_relaxed);
    const qint64 total = m_progress->total.load(std::memory_order_relaxed);
    if (total <= 0)
        return;
    const int percent = int(std::clamp<qint64>(done * 100 / total, 0, 100));
    const qint64 elapsed = m_clock.elapsed();
    qint64 eta = -1;
    if (done > 0 && elapsed >= kImportEtaMinMs)
        eta = (elapsed * (total - done) / done + 999) / 1000;
    if (percent == m_percent && eta == m_eta)
        return;
    m_percent = percent;
    m_eta = eta;
    Q_EMIT progressChanged(percent, eta);
}

void ImportJob::onFinished()
{
    m_poll.stop();
    m_running = false;
    m_session.endJob();
    const bool cancelled = m_progress->cancel.load();
    Expected<import::ImportResult> result = m_watcher.future().takeResult();
    if (!result) {
        qCInfo(lcUi) << "import failed:" << result.error().toString();
        Q_EMIT failed(result.error(), cancelled);
        return;
    }
    m_percent = 100;
    m_eta = 0;
    Q_EMIT progressChanged(100, 0);
    Q_EMIT succeeded(result.value());
}

} // namespace rs::ui
