#include "llmengine.h"

#include <QMetaObject>
#include <QPointer>

#include <memory>

namespace rs::llm {

LlmEngine::LlmEngine(PriceTable prices, store::ProjectStore *store,
                     std::shared_ptr<const KeyResolver> keys, QObject *parent)
    : QObject(parent), m_scheduler(std::move(prices), store, std::move(keys))
{
    qRegisterMetaType<rs::llm::LlmResult>();
    qRegisterMetaType<rs::llm::JobSummary>();
}

LlmEngine::~LlmEngine() = default;

std::uint64_t LlmEngine::submit(const ProviderConfig &provider, std::vector<LlmRequest> requests,
                                const JobOptions &options)
{
    // Running totals live with the job's callbacks, on the worker thread; the GUI only ever
    // receives copies through queued invocations.
    struct Totals {
        qint64 done = 0;
        qint64 total = 0;
        qint64 tokens = 0;
        double cost = 0;
    };
    auto totals = std::make_shared<Totals>();
    totals->total = qint64(requests.size());
    QPointer<LlmEngine> self(this);
    return m_scheduler.submit(
        provider, std::move(requests), options,
        [self, totals](std::uint64_t job, const LlmResult &r) {
            ++totals->done;
            totals->tokens += r.tokensIn + r.tokensOut;
            totals->cost += r.costUsd;
            const Totals snapshot = *totals;
            QMetaObject::invokeMethod(
                self,
                [self, job, r, snapshot] {
                    if (!self)
                        return;
                    Q_EMIT self->resultReady(job, r);
                    Q_EMIT self->progress(job, snapshot.done, snapshot.total, snapshot.tokens,
                                          snapshot.cost);
                },
                Qt::QueuedConnection);
        },
        [self](std::uint64_t job, const JobSummary &s) {
            QMetaObject::invokeMethod(
                self, [self, job, s] {
                    if (self)
                        Q_EMIT self->jobFinished(job, s);
                },
                Qt::QueuedConnection);
        });
}

void LlmEngine::cancel(std::uint64_t job) { m_scheduler.cancel(job); }

void LlmEngine::cancelRequest(std::uint64_t job, std::uint64_t tag)
{
    m_scheduler.cancelRequest(job, tag);
}

} // namespace rs::llm
