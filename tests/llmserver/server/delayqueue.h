#pragma once

#include <QObject>
#include <QPointer>
#include <queue>

#include <chrono>
#include <functional>
#include <vector>

class QSocketNotifier;

namespace rs::llmserver {

/// Runs callbacks at given deadlines on the event loop, with microsecond precision.
///
/// Why not one QTimer per connection: Qt rounds every poll timeout up to the next whole
/// millisecond, so a 20 ms QTimer answers after 20.5-21.5 ms; with 64 keep-alive clients at
/// 20 ms that alone costs about 5% of the throughput the load target needs. One timerfd,
/// watched by a QSocketNotifier and armed at the earliest deadline of a heap, wakes the loop
/// at the exact time instead and never blocks it.
class DelayQueue final : public QObject {
    Q_OBJECT
public:
    using Clock = std::chrono::steady_clock; // CLOCK_MONOTONIC on Linux, as the timerfd

    explicit DelayQueue(QObject *parent = nullptr);
    ~DelayQueue() override;

    /// Calls fn at deadline, unless guard has been destroyed by then. Equal deadlines run in
    /// the order they were scheduled.
    void schedule(Clock::time_point deadline, QObject *guard, std::function<void()> fn);

private:
    struct Entry {
        Clock::time_point deadline;
        quint64 sequence;
        QPointer<QObject> guard;
        std::function<void()> fn;
    };
    struct Later {
        bool operator()(const Entry &a, const Entry &b) const {
            return a.deadline != b.deadline ? a.deadline > b.deadline : a.sequence > b.sequence;
        }
    };

    void onTimerFd();
    void arm(Clock::time_point deadline);

    int m_fd = -1;
    QSocketNotifier *m_notifier = nullptr;
    std::priority_queue<Entry, std::vector<Entry>, Later> m_heap;
    quint64 m_sequence = 0;
    Clock::time_point m_armedFor = Clock::time_point::max();
};

} // namespace rs::llmserver
