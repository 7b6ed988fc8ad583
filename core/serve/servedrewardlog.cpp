#include "servedrewardlog.h"

#include "common/logging.h"
#include "store/database.h"
#include "store/projectstore.h"

#include <memory>

namespace rs::serve {

ServedRewardLog::ServedRewardLog(store::ProjectStore &store)
    : m_store(store) {}

ServedRewardLog::~ServedRewardLog() {
    flush();
}

void ServedRewardLog::record(std::vector<ServedReward> rows, std::function<void()> committed) {
    if (rows.empty()) {
        if (committed)
            committed();
        return;
    }
    auto shared = std::make_shared<std::vector<ServedReward>>(std::move(rows));
    auto *failed = &m_failedWrites;
    // A failure is counted and logged on the writer thread; without a callback nobody waits.
    store::ProjectWriter::Job job = [shared, failed](store::Database &db) -> Expected<void> {
        auto st =
            db.prepare("INSERT INTO served_rewards(step, endpoint, prompt_id, response_id,"
                       " rubric_version_id, run_id, status, reward, reward_soft, pass_fraction,"
                       " criteria, cached, response_length, latency_ms, error)"
                       " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)");
        if (!st) {
            ++*failed;
            return st.error();
        }
        auto idOrNull = [&](int i, qint64 id) {
            if (id > 0)
                st->bind(i, std::int64_t(id));
            else
                st->bindNull(i);
        };
        for (const ServedReward &r : *shared) {
            st->reset();
            if (r.step)
                st->bind(1, std::int64_t(*r.step));
            else
                st->bindNull(1);
            st->bind(2, std::string_view(r.endpoint));
            idOrNull(3, r.promptId);
            idOrNull(4, r.responseId);
            idOrNull(5, r.rubricVersion);
            idOrNull(6, r.runId);
            st->bind(7, std::string_view(r.status));
            if (r.status == "ok") {
                st->bind(8, r.reward);
                st->bind(9, r.rewardSoft);
                st->bind(10, r.passFraction);
            } else {
                st->bindNull(8);
                st->bindNull(9);
                st->bindNull(10);
            }
            if (r.criteriaJson.empty())
                st->bindNull(11);
            else
                st->bind(11, std::string_view(r.criteriaJson));
            st->bind(12, std::int64_t(r.cached));
            st->bind(13, std::int64_t(r.responseLength));
            st->bind(14, r.latencyMs);
            if (r.error.empty())
                st->bindNull(15);
            else
                st->bind(15, std::string_view(r.error));
            if (auto res = st->run(); !res) {
                ++*failed;
                return res;
            }
        }
        return {};
    };
    if (!committed) {
        m_store.writer().post(std::move(job));
        return;
    }
    {
        std::lock_guard lock(m_mutex);
        ++m_unanswered;
    }
    m_store.writer().post(std::move(job),
                          [this, committed = std::move(committed)](const Expected<void> &) {
                              committed();
                              std::lock_guard lock(m_mutex);
                              if (--m_unanswered == 0)
                                  m_idle.notify_all();
                          });
}

void ServedRewardLog::flush() {
    (void)m_store.writer().write([](store::Database &) -> Expected<void> { return {}; });
    std::unique_lock lock(m_mutex);
    m_idle.wait(lock, [this] { return m_unanswered == 0; });
}

} // namespace rs::serve
