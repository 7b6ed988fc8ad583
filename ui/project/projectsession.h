#pragma once

#include <QObject>
#include <QString>

#include <memory>

namespace rs::store {
class ProjectStore;
}

namespace rs::ui {

class ProjectEdits;

/// The open project: owns the ProjectStore (and with it the project's single writer) and tells
/// the views when a project opens, closes or changes.
///
/// Opening, creating and building the demo run on a worker (opening may migrate the schema);
/// the signals arrive on the GUI thread. Views never hold the store: they read through
/// ProjectReaders of their own, by path.
class ProjectSession final : public QObject {
    Q_OBJECT

public:
    explicit ProjectSession(QObject *parent = nullptr);
    ~ProjectSession() override;

    void openProject(const QString &path);
    /// Creates an empty project at `path` (which must not exist) and opens it.
    void createProject(const QString &path);
    /// Opens the demo project at `path`, building it first when it does not exist yet or was
    /// built by an older studio (DemoProject::ensure).
    void openDemoProject(const QString &path);

    bool isOpen() const { return m_store != nullptr; }
    QString path() const;
    /// The open store, or nullptr. Only for jobs that bracket their use with beginJob/endJob.
    store::ProjectStore *store() const { return m_store.get(); }

    /// Something is being opened, or a job is using the store: no project switch now.
    bool isBusy() const { return m_opening || m_jobs > 0; }
    void beginJob();
    void endJob();

    /// The edit history (undo stack) of the open project and the queue its writes go through.
    ProjectEdits *edits() const { return m_edits.get(); }

    /// Announces that the project's content changed (after an import), so views re-read it.
    void notifyChanged();

Q_SIGNALS:
    void projectOpened(const QString &path);
    /// The previous project was closed because another one opened.
    void projectClosed();
    void projectChanged();
    /// `missing`: there is no file at `path` (moved or deleted), as opposed to a broken one.
    void openFailed(const QString &path, const QString &message, bool missing);
    /// Progress worth a status-bar line ("Building the demo project…").
    void statusMessage(const QString &message);

private:
    enum class Mode { Open, Create };
    void start(const QString &path, Mode mode);
    bool refuseWhileBusy(const QString &path);

    std::unique_ptr<store::ProjectStore> m_store;
    // Declared after m_store so it goes first: it waits for a write in progress on the store.
    std::unique_ptr<ProjectEdits> m_edits;
    int m_jobs = 0;
    bool m_opening = false;
};

} // namespace rs::ui
