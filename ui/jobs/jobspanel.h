#pragma once

#include <QWidget>

class QLabel;
class QStackedWidget;
class QToolButton;
class QTreeView;

namespace rs::ui {

class JobListModel;
class JudgeJob;

/// The Jobs dock: one row per judge job of the session with a progress bar, calls done of the
/// total, ETA, tokens, cost and state, and buttons that act on the selected job: pause or
/// resume, cancel, show its failures, and clear finished jobs from the list.
class JobsPanel final : public QWidget {
    Q_OBJECT

public:
    explicit JobsPanel(JobListModel *model, QWidget *parent = nullptr);

    QTreeView *view() const { return m_view; }
    QToolButton *pauseButton() const { return m_pause; }
    QToolButton *cancelButton() const { return m_cancel; }
    QToolButton *failuresButton() const { return m_failures; }

    JudgeJob *currentJob() const;
    void selectJob(JudgeJob *job);
    /// Opens a window listing the job's first failures (or why it could not run).
    void showFailures(JudgeJob *job);

Q_SIGNALS:
    /// The user asked to drop finished jobs from the list.
    void clearFinishedRequested();

private:
    void updateButtons();
    void togglePause();

    JobListModel *m_model = nullptr;
    QStackedWidget *m_pages = nullptr;
    QTreeView *m_view = nullptr;
    QToolButton *m_pause = nullptr;
    QToolButton *m_cancel = nullptr;
    QToolButton *m_failures = nullptr;
    QToolButton *m_clear = nullptr;
};

} // namespace rs::ui
