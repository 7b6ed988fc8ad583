#pragma once

#include "common/error.h"
#include "projectwriter.h"

#include <QString>

#include <memory>

namespace rs::store {

class ProjectReader;
class ProjectLock;

/// An open project file. Owns the single writer; hands out read connections, one per thread
/// that wants to read (SQLite connections are not shared across threads here).
class ProjectStore final {
public:
    /// Creates a new project; fails if the file exists already.
    static Expected<std::unique_ptr<ProjectStore>> create(const QString &path);
    /// Opens an existing project, migrating an older schema in place. Refused, with a message
    /// that says why, when another process has it open, the file is read-only, or it comes
    /// from a newer studio.
    static Expected<std::unique_ptr<ProjectStore>> open(const QString &path);
    /// How a commit reaches the disk. Durable: synced before write() returns (the studio's
    /// rule: no unsaved state, even across a power cut). ProcessSafe: written to the OS before
    /// write() returns and synced at each WAL checkpoint (synchronous=NORMAL) — a killed or
    /// crashed process loses nothing, a power cut may lose the last moments. For the reward
    /// server, where a sync per commit would be most of a reward's added latency and a lost
    /// reward is only judged again.
    enum class Commits { Durable, ProcessSafe };

    /// Opens without taking the project lock: for the reward server, which only appends
    /// (served responses, verdicts, its log) and must let the studio or the CLI accept rubric
    /// versions and export packs while it runs. SQLite's own locking orders the writes.
    static Expected<std::unique_ptr<ProjectStore>> openShared(const QString &path,
                                                              Commits commits = Commits::Durable);

    QString path() const { return m_path; }
    ProjectWriter &writer() { return *m_writer; }
    Expected<ProjectReader> reader() const;
    ~ProjectStore();

private:
    ProjectStore(QString path, std::unique_ptr<ProjectLock> lock, Database writerDb,
                 Commits commits);
    static Expected<void> configure(Database &db, Commits commits = Commits::Durable);
    static Expected<std::unique_ptr<ProjectStore>> openWith(const QString &path, bool lock,
                                                            Commits commits);

    QString m_path;
    // Declared before the writer so it is released only after the writer's connection closed.
    std::unique_ptr<ProjectLock> m_lock;
    std::unique_ptr<ProjectWriter> m_writer;
};

} // namespace rs::store
