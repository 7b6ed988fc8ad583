#pragma once

#include "common/error.h"

#include <QString>

#include <memory>

class QLockFile;

namespace rs::store {

/// Keeps a second studio or CLI from writing to a project that is open already: SQLite alone
/// would let both write, interleaving imports and judge runs and confusing the undo history.
/// The lock is a file next to the project (PROJECT.lock) holding the holder's pid and host;
/// a lock left by a crashed or killed process is detected as stale and taken over.
class ProjectLock final {
public:
    ~ProjectLock();
    ProjectLock(const ProjectLock &) = delete;
    ProjectLock &operator=(const ProjectLock &) = delete;

    /// Locks `projectPath`, or says who holds it.
    static Expected<std::unique_ptr<ProjectLock>> acquire(const QString &projectPath);

    static QString lockPath(const QString &projectPath);

private:
    explicit ProjectLock(std::unique_ptr<QLockFile> lock);
    std::unique_ptr<QLockFile> m_lock;
};

} // namespace rs::store
