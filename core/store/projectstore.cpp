#include "projectstore.h"

#include "projectlock.h"
#include "projectreader.h"
#include "schema.h"

#include <QFile>
#include <QFileInfo>

namespace rs::store {

ProjectStore::ProjectStore(QString path, std::unique_ptr<ProjectLock> lock, Database writerDb,
                           Commits commits)
    : m_path(std::move(path))
    , m_lock(std::move(lock))
    ,
    // Durable commits are the studio's and the commands': work that ends with a close.
    m_writer(std::make_unique<ProjectWriter>(
        std::move(writerDb), commits == Commits::Durable ? WalCheckpointer::kEagerThresholdPages
                                                         : WalCheckpointer::kThresholdPages)) {}

ProjectStore::~ProjectStore() = default;

Expected<void> ProjectStore::configure(Database &db, Commits commits)
{
    // WAL lets readers (views, the CLI) read while the writer writes; FULL makes each commit
    // durable before write() returns.
    const char *sync = commits == Commits::Durable ? "PRAGMA synchronous = FULL"
                                                   : "PRAGMA synchronous = NORMAL";
    for (const char *pragma : {"PRAGMA journal_mode = WAL", sync, "PRAGMA foreign_keys = ON",
                               "PRAGMA temp_store = MEMORY"}) {
        if (auto r = db.exec(pragma); !r)
            return r;
    }
    return {};
}

Expected<std::unique_ptr<ProjectStore>> ProjectStore::create(const QString &path)
{
    if (QFileInfo::exists(path))
        return makeError(QStringLiteral("file exists already; open it instead"), path);
    auto lock = ProjectLock::acquire(path);
    if (!lock)
        return lock.error();
    auto db = Database::open(path, Database::Mode::ReadWriteCreate);
    if (!db)
        return db.error();
    // 16 KiB pages suit rows of a few KB (responses): fewer overflow pages, a smaller file and
    // a faster import. Must be set before the first write and before WAL is switched on.
    if (auto r = db->exec("PRAGMA page_size = 16384"); !r)
        return r.error();
    if (auto r = configure(db.value()); !r)
        return r.error();
    if (auto r = schema::create(db.value()); !r)
        return r.error();
    return std::unique_ptr<ProjectStore>(
        new ProjectStore(path, std::move(lock.value()), std::move(db.value()), Commits::Durable));
}

Expected<std::unique_ptr<ProjectStore>> ProjectStore::open(const QString &path) {
    return openWith(path, true, Commits::Durable);
}

Expected<std::unique_ptr<ProjectStore>> ProjectStore::openShared(const QString &path,
                                                                 Commits commits) {
    return openWith(path, false, commits);
}

Expected<std::unique_ptr<ProjectStore>> ProjectStore::openWith(const QString &path, bool takeLock,
                                                               Commits commits) {
    if (!QFileInfo::exists(path))
        return makeError(QStringLiteral("no such project file"), path);
    // SQLite would open a read-only file and fail only at the first write, deep in an import
    // or a judge run; say so up front instead.
    // No write bit at all counts too, so that root (which may write anyway) respects a file
    // its owner marked read-only.
    const QFileInfo info(path);
    if (!info.isWritable()
        || !(info.permissions()
             & (QFile::WriteOwner | QFile::WriteGroup | QFile::WriteOther)))
        return makeError(QStringLiteral("the project file is read-only; make it writable (or "
                                        "copy it) to open it"),
                         path);
    std::unique_ptr<ProjectLock> lock;
    if (takeLock) {
        auto acquired = ProjectLock::acquire(path);
        if (!acquired)
            return acquired.error();
        lock = std::move(acquired.value());
    }
    auto db = Database::open(path, Database::Mode::ReadWrite);
    if (!db)
        return db.error();
    if (auto r = schema::migrate(db.value()); !r)
        return r.error();
    if (auto r = configure(db.value(), commits); !r)
        return r.error();
    return std::unique_ptr<ProjectStore>(
        new ProjectStore(path, std::move(lock), std::move(db.value()), commits));
}

Expected<ProjectReader> ProjectStore::reader() const { return ProjectReader::open(m_path); }

} // namespace rs::store
