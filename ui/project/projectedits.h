#pragma once

#include "common/error.h"

#include <QFuture>
#include <QObject>

#include <deque>
#include <functional>

class QUndoStack;

namespace rs::store {
class ProjectStore;
}

namespace rs::ui {

class ProjectSession;

/// The open project's edit history and the writes behind it.
///
/// Every user edit is a QUndoCommand on undoStack(); a command's redo/undo hands its store
/// writes to submit(), which runs them one after another on a worker (the core write calls
/// block until the change is durable), never on the GUI thread. Running them in order is what
/// makes undo-then-redo safe: a redo never overtakes the undo before it. The session counts
/// as busy while writes are pending, so the project cannot be switched under them, and the
/// history is cleared when another project opens.
class ProjectEdits final : public QObject {
    Q_OBJECT

public:
    using Write = std::function<Expected<void>(store::ProjectStore &)>;

    explicit ProjectEdits(ProjectSession &session);
    /// Waits for a write in progress: the store it uses must outlive it.
    ~ProjectEdits() override;

    QUndoStack *undoStack() const { return m_undo; }

    /// Queues `write` for the open project. `what` names it in messages ("Override c3 …");
    /// `promptId` is the prompt whose views should re-read afterwards (0: none in particular).
    void submit(const QString &what, qint64 promptId, Write write);
    /// Writes are queued or running.
    bool isBusy() const { return m_running || !m_queue.empty(); }

Q_SIGNALS:
    /// A write finished and is durable; views showing `promptId` re-read it.
    void written(qint64 promptId);
    /// A write failed; the undo history was dropped because it no longer matches the file.
    void failed(const QString &message);
    /// The queue ran empty.
    void idle();

private:
    struct Pending {
        QString what;
        qint64 promptId = 0;
        Write write;
    };
    void startNext();
    void clearHistory();

    ProjectSession &m_session;
    QUndoStack *m_undo = nullptr;
    std::deque<Pending> m_queue;
    QFuture<Expected<void>> m_current;
    bool m_running = false;
};

} // namespace rs::ui
