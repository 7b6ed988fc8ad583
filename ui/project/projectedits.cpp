#include "project/projectedits.h"

#include "project/projectsession.h"
#include "common/uilogging.h"

#include <QFutureWatcher>
#include <QThreadPool>
#include <QUndoStack>
#include <QtConcurrent/QtConcurrentRun>

namespace rs::ui {

ProjectEdits::ProjectEdits(ProjectSession &session)
    : m_session(session)
    , m_undo(new QUndoStack(this))
{
    // Commands refer to rows of the project they were made in.
    connect(&session, &ProjectSession::projectOpened, this, &ProjectEdits::clearHistory);
    connect(&session, &ProjectSession::projectClosed, this, &ProjectEdits::clearHistory);
}

ProjectEdits::~ProjectEdits()
{
    // Only at shutdown, and a write is a few milliseconds: far better than a store deleted
    // under a worker that is still writing to it.
    if (m_running)
        m_current.waitForFinished();
}

void ProjectEdits::submit(const QString &what, qint64 promptId, Write write)
{
    if (!m_session.store()) {
        Q_EMIT failed(tr("%1: no project is open").arg(what));
        return;
    }
    m_queue.push_back(Pending{what, promptId, std::move(write)});
    if (!m_running) {
        m_session.beginJob();
        startNext();
    }
}

void ProjectEdits::startNext()
{
    if (m_queue.empty()) {
        m_running = false;
        m_session.endJob();
        Q_EMIT idle();
        return;
    }
    Pending next = std::move(m_queue.front());
    m_queue.pop_front();
    m_running = true;
    store::ProjectStore *store = m_session.store();
    m_current = QtConcurrent::run(QThreadPool::globalInstance(),
                                  [store, write = std::move(next.write)] { return write(*store); });
    auto *watcher = new QFutureWatcher<Expected<void>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this,
            [this, watcher, what = next.what, promptId = next.promptId] {
                watcher->deleteLater();
                const Expected<void> result = watcher->future().result();
                if (result) {
                    Q_EMIT written(promptId);
                } else {
                    qCWarning(lcUi) << "edit failed:" << what << result.error().toString();
                    // What follows in the queue (an undo of this very write, say) assumed
                    // it succeeded; the history no longer describes the file either.
                    m_queue.clear();
                    clearHistory();
                    Q_EMIT failed(tr("%1 failed: %2").arg(what, result.error().toString()));
                    Q_EMIT written(0);
                }
                startNext();
            });
    watcher->setFuture(m_current);
}

void ProjectEdits::clearHistory()
{
    m_undo->clear();
}

} // namespace rs::ui
