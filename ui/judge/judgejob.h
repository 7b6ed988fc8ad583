#pragma once

#include "judge/judgeconfig.h"
#include "judge/judgerunner.h"
#include "llm/llmjob.h"

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QObject>
#include <QThreadPool>

#include <atomic>
#include <functional>
#include <memory>

namespace rs::llm {
class KeyResolver;
class LlmScheduler;
} // namespace rs::llm
namespace rs::store {
class ProjectStore;
}

namespace rs::ui {

class ProjectSession;

/// One judge run (judge::JudgeRunner::run) on a worker thread, for the jobs panel.
///
/// The runner calls its progress function about ten times a second; the worker answers it from
/// two atomics (cancel, pause) and posts the counts to this object as queued calls, so the GUI
/// never waits on the run. Cancelling keeps every verdict stored so far: starting the same
/// run again resumes it. When the run ends, the session announces that the project changed.
class JudgeJob final : public QObject {
    Q_OBJECT

public:
    enum class State {
        Starting, ///< reading the key and planning
        Running,
        Paused,
        Cancelling,
        Completed,  ///< every planned call answered
        Incomplete, ///< some calls failed; running again retries them
        Cancelled,  ///< stopped by the user; running again resumes
        Failed,     ///< could not run at all (no key, no project, a database error)
    };
    Q_ENUM(State)

    JudgeJob(ProjectSession &session, std::shared_ptr<const llm::KeyResolver> keys,
             QObject *parent = nullptr);
    /// Cancels a running job and waits for it: the store must outlive the runner.
    ~JudgeJob() override;

    /// Starts the run; false when no project is open or the job already ran.
    bool start(const judge::JudgeConfig &config, const llm::JobOptions &options);
    /// Work other than a judge run (generation, RTD, collection) in the same Jobs panel and with
    /// the same cancel, pause, ETA and cost columns: `task` runs on the job's worker thread with
    /// a scheduler of its own, reports its progress as judge counts (units of work as calls) and
    /// returns a judge-shaped summary. `provider` is checked for a key first, as for a run.
    using TaskReport = std::function<bool(const judge::JudgeProgress &)>;
    using Task = std::function<Expected<judge::JudgeRunSummary>(
        llm::LlmScheduler &, store::ProjectStore &, const TaskReport &, const std::atomic<bool> &paused)>;
    bool startTask(const llm::ProviderConfig &provider, Task task);

    void cancel();
    /// Holds back calls not sent yet (those in flight complete); false resumes.
    void setPaused(bool paused);

    QString name() const { return m_name; }
    void setName(const QString &name) { m_name = name; }
    const judge::JudgeConfig &config() const { return m_config; }
    const llm::JobOptions &options() const { return m_options; }

    State state() const { return m_state; }
    bool isActive() const;
    bool isFinished() const { return !isActive(); }
    bool canPause() const { return m_state == State::Running || m_state == State::Paused; }

    const judge::JudgeProgress &progress() const { return m_progress; }
    /// Seconds left from the throughput so far (time paused not counted); -1 unknown.
    qint64 etaSeconds() const { return m_eta; }
    /// Seconds spent running, pauses excluded.
    qint64 elapsedSeconds() const;
    /// False when the model has no price: costs show as unknown rather than $0.
    bool isPriced() const { return m_priced; }

    /// Valid once finished without State::Failed.
    const judge::JudgeRunSummary &summary() const { return m_summary; }
    /// Why the job failed (State::Failed).
    QString errorText() const { return m_error; }
    /// The first failed calls ("response N: reason"), or the error, for the failures view.
    QStringList failures() const;

    static QString stateText(State state);

Q_SIGNALS:
    void progressChanged();
    void stateChanged(rs::ui::JudgeJob::State state);
    void finished();

private:
    struct Shared {
        std::atomic<bool> cancel{false};
        std::atomic<bool> paused{false};
    };
    void setState(State state);
    void onProgress(const judge::JudgeProgress &progress);
    void onFinished();
    void updateEta();

    ProjectSession &m_session;
    std::shared_ptr<const llm::KeyResolver> m_keys;
    std::shared_ptr<Shared> m_shared;
    QThreadPool m_pool; // its own thread: a run must not wait behind view queries
    QFutureWatcher<Expected<judge::JudgeRunSummary>> m_watcher;
    judge::JudgeConfig m_config;
    llm::JobOptions m_options;
    QString m_name;
    State m_state = State::Starting;
    judge::JudgeProgress m_progress;
    judge::JudgeRunSummary m_summary;
    QString m_error;
    QElapsedTimer m_active; ///< running since the last start or resume
    qint64 m_activeBeforeMs = 0;
    qint64 m_eta = -1;
    bool m_priced = true;
    bool m_started = false;
    bool m_running = false;
};

} // namespace rs::ui
