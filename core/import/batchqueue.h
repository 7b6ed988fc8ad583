#pragma once

#include "common/error.h"
#include "importitems.h"

#include <QString>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <vector>

namespace rs::import {

struct Batch final {
    QString file;
    std::vector<RecordItems> records;
};

/// Hands parsed batches from the parsing thread to the writer thread. Bounded, so a fast
/// parser cannot pile a whole file up in memory while SQLite catches up.
class BatchQueue final {
public:
    explicit BatchQueue(size_t capacity) : m_capacity(capacity) {}

    /// Producer: false when the consumer gave up (then stop producing).
    bool push(Batch batch)
    {
        std::unique_lock lock(m_mutex);
        m_notFull.wait(lock, [&] { return m_queue.size() < m_capacity || m_consumerGone; });
        if (m_consumerGone)
            return false;
        m_queue.push_back(std::move(batch));
        m_notEmpty.notify_one();
        return true;
    }

    /// Producer: no more batches. With an error the consumer must roll everything back.
    void finish(std::optional<Error> error = std::nullopt)
    {
        std::lock_guard lock(m_mutex);
        m_finished = true;
        m_error = std::move(error);
        m_notEmpty.notify_all();
    }

    /// Consumer: the next batch, or nullopt when the producer finished.
    std::optional<Batch> pop()
    {
        std::unique_lock lock(m_mutex);
        m_notEmpty.wait(lock, [&] { return !m_queue.empty() || m_finished; });
        if (m_queue.empty())
            return std::nullopt;
        Batch b = std::move(m_queue.front());
        m_queue.pop_front();
        m_notFull.notify_one();
        return b;
    }

    /// Consumer: stop accepting batches (after a database error).
    void abandon()
    {
        std::lock_guard lock(m_mutex);
        m_consumerGone = true;
        m_queue.clear();
        m_notFull.notify_all();
    }

    std::optional<Error> producerError()
    {
        std::lock_guard lock(m_mutex);
        return m_error;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_notFull, m_notEmpty;
    std::deque<Batch> m_queue;
    size_t m_capacity;
    bool m_finished = false;
    bool m_consumerGone = false;
    std::optional<Error> m_error;
};

} // namespace rs::import
