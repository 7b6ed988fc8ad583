#pragma once

#include "common/error.h"
#include "database.h"
#include "walcheckpointer.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>

namespace rs::store {

/// The project's single writer: one thread owning the only read-write connection.
/// Jobs queued while a transaction is running are batched into the next one; each job runs in
/// its own savepoint so a failing job rolls back alone. write() returns after COMMIT with
/// synchronous=FULL, so a change is durable when the call returns: there is no "unsaved" state
/// (the reward server opens its project with NORMAL: see ProjectStore::Commits).
class ProjectWriter final {
public:
    using Job = std::function<Expected<void>(Database &)>;

    /// checkpointPages: the log size that starts a checkpoint (see WalCheckpointer).
    ProjectWriter(Database db, int checkpointPages);
    ~ProjectWriter();
    ProjectWriter(const ProjectWriter &) = delete;
    ProjectWriter &operator=(const ProjectWriter &) = delete;

    /// Queues a job and waits until it is committed (or rolled back with its error).
    Expected<void> write(Job job);
    /// Queues a job; the future becomes ready after commit.
    std::future<Expected<void>> post(Job job);
    /// Queues a job; `committed` runs on the writer thread after its commit (or rollback), with
    /// the job's outcome. For a server answering as soon as its rows are durable, without a
    /// thread per wait: keep it short, it holds up the next transaction.
    using Committed = std::function<void(const Expected<void> &)>;
    void post(Job job, Committed committed);

    QString path() const { return m_path; }

    /// Commits at most once per `interval`: jobs posted meanwhile share the next transaction.
    /// A server writing a few rows per request spends most of its writing on the commit (WAL
    /// frames of whole pages, locks) and on readers re-reading pages after each one; fewer,
    /// larger commits cut both, at the price of up to `interval` more per write. 0 (default):
    /// each batch commits as soon as it is taken, as an interactive edit wants.
    void setCommitInterval(std::chrono::microseconds interval) { m_interval = interval; }

private:
    struct Pending {
        Job job;
        std::promise<Expected<void>> done;
        Committed committed; ///< set: called instead of fulfilling `done`
        void settle(Expected<void> result);
    };
    void run();
    void runBatch(std::deque<Pending> &batch);

    Database m_db;
    QString m_path;
    WalCheckpointer m_checkpointer; ///< the writer's commits never wait for a checkpoint
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Pending> m_queue;
    bool m_stopping = false;
    std::atomic<std::chrono::microseconds> m_interval{std::chrono::microseconds(0)};
    std::thread m_thread;
};

} // namespace rs::store
