#pragma once

#include "judge/judgeconfig.h"
#include "llm/llmjob.h"

#include <QDockWidget>
#include <QObject>
#include <QPointer>

#include <atomic>
#include <functional>
#include <memory>

#include "judge/judgerunner.h"

namespace rs::llm {
class LlmScheduler;
}
namespace rs::store {
class ProjectStore;
}

class QAction;
class QMainWindow;
class QMenu;
class QMessageBox;
class QWidget;

namespace rs::ui {

class BatchDialog;
class JobListModel;
class JobsPanel;
class JudgeJob;
class JudgeRunDialog;
class KeychainAccess;
class KeychainKeyResolver;
class ProjectSession;
class ProviderListModel;

/// Everything the studio window needs for judging, kept out of MainWindow: the providers
/// (loaded from providers.json), the keychain, the Judge menu's actions and dialogs, the judge
/// jobs and the Jobs dock that shows them, and the question on quit while a job runs.
class JudgeController final : public QObject {
    Q_OBJECT

public:
    JudgeController(ProjectSession &session, QMainWindow *window);
    ~JudgeController() override;

    QDockWidget *jobsDock() const { return m_dock; }
    JobsPanel *jobsPanel() const { return m_panel; }
    JobListModel *jobs() const { return m_jobs; }
    ProviderListModel *providers() const { return m_providers; }
    KeychainAccess *keychain() const { return m_keychain; }
    std::shared_ptr<KeychainKeyResolver> keys() const { return m_keys; }
    QAction *runJudgeAction() const { return m_runJudge; }
    QAction *providersAction() const { return m_providersAction; }
    QAction *batchesAction() const { return m_batchesAction; }

    /// Adds Run Judge… (Ctrl+J), Provider Batches… and Providers… to `menu`.
    void addActions(QMenu *menu);

    /// Opens the providers dialog over `parent` (the window when null).
    void showProviders(QWidget *parent = nullptr);
    /// Opens the Run Judge dialog; its Start starts a job. Null when no project is open.
    JudgeRunDialog *showRunDialog();
    /// Opens the provider batches dialog (export, import, status). Null when no project is open.
    BatchDialog *showBatchDialog();
    /// Starts a judge job and shows it in the Jobs dock; null (with a status message) when no
    /// project is open or the same run is already running.
    JudgeJob *startJudge(const judge::JudgeConfig &config, const llm::JobOptions &options,
                         const QString &name);
    /// Starts other LLM work (generation, RTD, collection) as a job in the Jobs dock.
    JudgeJob *startTask(const QString &name, const llm::ProviderConfig &provider,
                        const std::function<Expected<judge::JudgeRunSummary>(
                            llm::LlmScheduler &, store::ProjectStore &,
                            const std::function<bool(const judge::JudgeProgress &)> &,
                            const std::atomic<bool> &)> &task);
    int activeJobCount() const;

    /// For the window's closeEvent: true when it may close now. With jobs running it asks
    /// (without blocking) whether to cancel them, returns false, and emits closeApproved()
    /// once they have stopped.
    bool approveClose();

Q_SIGNALS:
    void closeApproved();
    void statusMessage(const QString &message);

private:
    void onJobFinished(JudgeJob *job);
    void clearFinished();
    void updateActions();

    ProjectSession &m_session;
    QMainWindow *m_window = nullptr;
    KeychainAccess *m_keychain = nullptr;
    std::shared_ptr<KeychainKeyResolver> m_keys;
    ProviderListModel *m_providers = nullptr;
    JobListModel *m_jobs = nullptr;
    JobsPanel *m_panel = nullptr;
    QPointer<QDockWidget> m_dock; ///< owned by the window
    QAction *m_runJudge = nullptr;
    QAction *m_providersAction = nullptr;
    QAction *m_batchesAction = nullptr;
    QPointer<QMessageBox> m_closeQuestion;
    bool m_closeRequested = false;
};

} // namespace rs::ui
