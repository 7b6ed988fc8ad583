#pragma once

#include "llmscheduler.h"

#include <QObject>

#include <memory>

namespace rs::llm {

/// The Qt face of the scheduler: submit from the GUI thread, get results there as queued
/// signals. The GUI never waits: every call returns at once.
class LlmEngine final : public QObject {
    Q_OBJECT

public:
    LlmEngine(PriceTable prices, store::ProjectStore *store,
              std::shared_ptr<const KeyResolver> keys = std::make_shared<KeyResolver>(),
              QObject *parent = nullptr);
    ~LlmEngine() override;

    std::uint64_t submit(const ProviderConfig &provider, std::vector<LlmRequest> requests,
                         const JobOptions &options);
    void cancel(std::uint64_t job);
    void cancelRequest(std::uint64_t job, std::uint64_t tag);
    void pause(std::uint64_t job) { m_scheduler.pause(job); }
    void resume(std::uint64_t job) { m_scheduler.resume(job); }

Q_SIGNALS:
    void resultReady(quint64 job, const rs::llm::LlmResult &result);
    /// After every result: counts so far, for progress bars, ETA and cost displays.
    void progress(quint64 job, qint64 done, qint64 total, qint64 tokens, double costUsd);
    void jobFinished(quint64 job, const rs::llm::JobSummary &summary);

private:
    LlmScheduler m_scheduler;
};

} // namespace rs::llm

Q_DECLARE_METATYPE(rs::llm::LlmResult)
Q_DECLARE_METATYPE(rs::llm::JobSummary)
