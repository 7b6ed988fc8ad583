#pragma once

#include "common/error.h"
#include "import/importconfig.h"

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QObject>
#include <QThreadPool>
#include <QTimer>

#include <atomic>
#include <memory>

namespace rs::ui {

class ProjectSession;

/// One import into the open project, run on a worker thread because the core importer blocks
/// its caller until the last record is stored.
///
/// The worker only writes three atomics (bytes done, bytes total, cancel requested); a GUI
/// timer reads them to report percent and an ETA. That keeps the importer's hot progress
/// callback free of signal traffic and of any reference to this object.
class ImportJob final : public QObject {
    Q_OBJECT

public:
    explicit ImportJob(ProjectSession &session, QObject *parent = nullptr);
    /// Cancels a running import and waits for it to roll back: the store must outlive it.
    ~ImportJob() override;

    /// Starts importing; false when no project is open or a job is already running.
    bool start(const import::ImportConfig &config);
    /// Asks the running import to stop; it rolls back and finishes with an error.
    void cancel();
    bool isRunning() const { return m_running; }
    bool cancelRequested() const;

    /// 0–100 while running.
    int percent() const { return m_percent; }
    /// Estimated seconds left, -1 while there is too little progress to tell.
    qint64 etaSeconds() const { return m_eta; }

Q_SIGNALS:
    void progressChanged(int percent, qint64 etaSeconds);
    void succeeded(const rs::import::ImportResult &result);
    /// The import failed or was cancelled; the project is unchanged either way.
    void failed(const rs::Error &error, bool cancelled);

private:
    struct Progress {
        std::atomic<qint64> done{0};
        std::atomic<qint64> total{0};
        std::atomic<bool> cancel{false};
    };
    void poll();
    void onFinished();

    ProjectSession &m_session;
    QThreadPool m_pool; // its own thread: an import must not wait behind view queries
    QFutureWatcher<Expected<import::ImportResult>> m_watcher;
    std::shared_ptr<Progress> m_progress;
    QTimer m_poll;
    QElapsedTimer m_clock;
    int m_percent = 0;
    qint64 m_eta = -1;
    bool m_running = false;
};

} // namespace rs::ui
