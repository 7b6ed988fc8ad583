#pragma once

#include <QString>

#include <condition_variable>
#include <mutex>
#include <thread>

namespace rs::store {

/// Copies the write-ahead log back into the project file on a thread and connection of its
/// own. SQLite's automatic checkpoint runs inside the commit that crosses the threshold, so
/// the writer — and every reward, verdict or import waiting on it — would stop for the copy
/// and its fsync (tens of milliseconds with a busy log). A passive checkpoint from another
/// connection never blocks the writer or a reader; it copies what no reader still needs, and
/// the log restarts from its beginning once all of it was copied.
class WalCheckpointer final {
public:
    /// The log's size, in pages, past which a checkpoint is started: SQLite's default, for a
    /// project open for a long time (the reward server), where each checkpoint is a copy and a
    /// sync that only needs to keep the log bounded.
    static constexpr int kThresholdPages = 1000;
    /// 2 MB at our 16 KB pages, for a project that a command or the studio closes after its
    /// work: with the default, a judge run's whole log (7 MB for 1,610 calls, most of it cache
    /// rows) waited for the last connection's close, which copies and syncs it while the user
    /// waits (~25 ms); copied in steps, it goes while the calls are in flight.
    static constexpr int kEagerThresholdPages = 128;

    WalCheckpointer(QString path, int thresholdPages);
    ~WalCheckpointer(); ///< waits for a checkpoint in progress
    WalCheckpointer(const WalCheckpointer &) = delete;
    WalCheckpointer &operator=(const WalCheckpointer &) = delete;

    /// After each commit, with the log's size in pages; only signals the thread (which is
    /// started the first time the threshold is crossed: most CLI calls never need it).
    void committed(int walPages);

private:
    void run();

    QString m_path;
    int m_thresholdPages;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_due = false;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace rs::store
