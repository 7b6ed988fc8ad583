#include "projectlock.h"

#include <QLockFile>

namespace rs::store {

ProjectLock::ProjectLock(std::unique_ptr<QLockFile> lock) : m_lock(std::move(lock)) {}

ProjectLock::~ProjectLock() = default; // QLockFile unlocks (removes the file) on destruction

QString ProjectLock::lockPath(const QString &projectPath)
{
    return projectPath + QStringLiteral(".lock");
}

Expected<std::unique_ptr<ProjectLock>> ProjectLock::acquire(const QString &projectPath)
{
    auto lock = std::make_unique<QLockFile>(lockPath(projectPath));
    // Only a dead holder makes a lock stale: a studio left open for days keeps its project.
    lock->setStaleLockTime(0);
    if (lock->tryLock(0))
        return std::unique_ptr<ProjectLock>(new ProjectLock(std::move(lock)));

    switch (lock->error()) {
    case QLockFile::LockFailedError: {
        qint64 pid = 0;
        QString host, app;
        lock->getLockInfo(&pid, &host, &app);
        return makeError(QStringLiteral("the project is open in another Rubric Studio or CLI "
                                        "(%1, process %2 on %3); close it there first")
                             .arg(app.isEmpty() ? QStringLiteral("unknown program") : app)
                             .arg(pid)
                             .arg(host.isEmpty() ? QStringLiteral("this computer") : host),
                         projectPath);
    }
    case QLockFile::PermissionError:
        return makeError(QStringLiteral("cannot write in the project's folder (no permission to "
                                        "create %1); copy the project to a writable folder")
                             .arg(lockPath(projectPath)),
                         projectPath);
    default:
        return makeError(QStringLiteral("cannot lock the project (%1)").arg(lockPath(projectPath)),
                         projectPath);
    }
}

} // namespace rs::store
