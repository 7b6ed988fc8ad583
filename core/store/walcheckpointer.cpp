#include "walcheckpointer.h"

#include "common/logging.h"
#include "common/threadname.h"
#include "database.h"

#include <sqlite3.h>

namespace rs::store {

WalCheckpointer::WalCheckpointer(QString path, int thresholdPages)
    : m_path(std::move(path))
    , m_thresholdPages(thresholdPages) {}

WalCheckpointer::~WalCheckpointer() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void WalCheckpointer::committed(int walPages) {
    if (walPages < m_thresholdPages)
        return;
    {
        std::lock_guard lock(m_mutex);
        m_due = true;
        if (!m_thread.joinable())
            m_thread = std::thread([this] {
                nameThisThread("rs-checkpoint");
                run();
            });
    }
    m_wake.notify_one();
}

void WalCheckpointer::run() {
    auto db = Database::open(m_path, Database::Mode::ReadWrite);
    if (!db) {
        // The log then grows until the last connection closes, which checkpoints it.
        qCWarning(lcStore) << "cannot open the project to checkpoint:" << db.error().toString();
        return;
    }
    // A connection opens the log only when it first reads; a checkpoint before that is a
    // silent no-op.
    if (auto r = db->scalar("SELECT count(*) FROM sqlite_master"); !r)
        qCWarning(lcStore) << "cannot read the project to checkpoint:" << r.error().toString();
    for (;;) {
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_due || m_stopping; });
            if (m_stopping)
                return;
            m_due = false;
        }
        int logPages = 0;
        int copied = 0;
        const int rc = sqlite3_wal_checkpoint_v2(db->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                                 &logPages, &copied);
        if (rc != SQLITE_OK && rc != SQLITE_BUSY)
            qCWarning(lcStore) << "checkpoint failed:" << sqlite3_errstr(rc) << m_path;
    }
}

} // namespace rs::store
