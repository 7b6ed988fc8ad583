#include "projectwriter.h"

#include "common/logging.h"
#include "common/threadname.h"

#include <sqlite3.h>

namespace rs::store {

namespace {

/// After each commit of the writer's connection. Installing it turns SQLite's automatic
/// checkpoint (which would run inside that commit) off for the connection.
int afterCommit(void *checkpointer, sqlite3 *, const char *, int walPages) {
    static_cast<WalCheckpointer *>(checkpointer)->committed(walPages);
    return SQLITE_OK;
}

} // namespace

ProjectWriter::ProjectWriter(Database db, int checkpointPages)
    : m_db(std::move(db))
    , m_path(m_db.path())
    , m_checkpointer(m_path, checkpointPages) {
    if (m_db.isOpen())
        sqlite3_wal_hook(m_db.handle(), afterCommit, &m_checkpointer);
    m_thread = std::thread([this] {
        nameThisThread("rs-writer");
        run();
    });
}

ProjectWriter::~ProjectWriter() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

Expected<void> ProjectWriter::write(Job job) {
    return post(std::move(job)).get();
}

std::future<Expected<void>> ProjectWriter::post(Job job) {
    Pending p{std::move(job), {}, {}};
    auto f = p.done.get_future();
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back(std::move(p));
    }
    m_wake.notify_one();
    return f;
}

void ProjectWriter::post(Job job, Committed committed) {
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back(Pending{std::move(job), {}, std::move(committed)});
    }
    m_wake.notify_one();
}

void ProjectWriter::Pending::settle(Expected<void> result) {
    if (committed)
        committed(result);
    else
        done.set_value(std::move(result));
}

void ProjectWriter::run() {
    auto lastBatch = std::chrono::steady_clock::now();
    for (;;) {
        std::deque<Pending> batch;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
            if (const auto interval = m_interval.load(); interval.count() > 0)
                m_wake.wait_until(lock, lastBatch + interval, [this] { return m_stopping; });
            lastBatch = std::chrono::steady_clock::now();
            if (m_queue.empty() && m_stopping)
                return;
            batch.swap(m_queue);
        }
        runBatch(batch);
    }
}

void ProjectWriter::runBatch(std::deque<Pending> &batch) {
    Transaction tx(m_db);
    if (auto r = tx.begin(); !r) {
        for (auto &p : batch)
            p.settle(r.error());
        return;
    }
    std::vector<Expected<void>> results;
    results.reserve(batch.size());
    for (auto &p : batch) {
        if (auto r = m_db.run("SAVEPOINT job"); !r) {
            results.emplace_back(r.error());
            continue;
        }
        Expected<void> r = p.job(m_db);
        if (!r)
            (void)m_db.run("ROLLBACK TO job");
        (void)m_db.run("RELEASE job");
        results.push_back(std::move(r));
    }
    auto committed = tx.commit();
    if (!committed) {
        // Some errors (disk full, I/O) make SQLite roll the whole transaction back by itself,
        // so the commit then fails with "no transaction is active". The failed job's error is
        // the one that tells the user what happened; report it for the whole batch.
        Error reason = committed.error();
        for (const auto &r : results) {
            if (!r) {
                reason = r.error();
                break;
            }
        }
        qCWarning(lcStore) << "commit failed:" << committed.error().toString() << "after"
                           << reason.toString();
        for (auto &p : batch)
            p.settle(Expected<void>(reason));
        return;
    }
    for (size_t i = 0; i < batch.size(); ++i)
        batch[i].settle(std::move(results[i]));
}

} // namespace rs::store
