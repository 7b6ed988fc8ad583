#include "delayqueue.h"

#include <QSocketNotifier>

#include <cstdint>
#include <sys/timerfd.h>
#include <unistd.h>
#include <utility>

namespace rs::llmserver {

DelayQueue::DelayQueue(QObject *parent)
    : QObject(parent) {
    m_fd = ::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (m_fd < 0)
        qFatal("timerfd_create failed");
    m_notifier = new QSocketNotifier(m_fd, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &DelayQueue::onTimerFd);
}

DelayQueue::~DelayQueue() {
    delete m_notifier;
    ::close(m_fd);
}

void DelayQueue::schedule(Clock::time_point deadline, QObject *guard, std::function<void()> fn) {
    m_heap.push({deadline, m_sequence++, guard, std::move(fn)});
    if (deadline < m_armedFor)
        arm(deadline);
}

void DelayQueue::arm(Clock::time_point deadline) {
    m_armedFor = deadline;
    itimerspec spec{};
    if (deadline != Clock::time_point::max()) {
        const auto ns =
            std::chrono::duration_cast<std::chrono::nanoseconds>(deadline.time_since_epoch())
                .count();
        // An all-zero it_value would disarm the timer; a deadline at the epoch is long past.
        spec.it_value.tv_sec = time_t(ns / 1000000000);
        spec.it_value.tv_nsec = long(ns % 1000000000);
        if (spec.it_value.tv_sec == 0 && spec.it_value.tv_nsec == 0)
            spec.it_value.tv_nsec = 1;
    }
    ::timerfd_settime(m_fd, TFD_TIMER_ABSTIME, &spec, nullptr);
}

void DelayQueue::onTimerFd() {
    std::uint64_t expirations = 0;
    [[maybe_unused]] const ssize_t n = ::read(m_fd, &expirations, sizeof expirations);
    m_armedFor = Clock::time_point::max();
    const Clock::time_point now = Clock::now();
    while (!m_heap.empty() && m_heap.top().deadline <= now) {
        // Copy out before popping: the callback may schedule again and reshape the heap.
        Entry entry = m_heap.top();
        m_heap.pop();
        if (entry.guard)
            entry.fn();
    }
    if (!m_heap.empty())
        arm(m_heap.top().deadline);
}

} // namespace rs::llmserver
