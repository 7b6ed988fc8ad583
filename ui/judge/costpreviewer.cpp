#include "judge/costpreviewer.h"

#include "common/asynctask.h"
#include "judge/judgerunner.h"
#include "llm/llmscheduler.h"
#include "llm/providerregistry.h"
#include "project/projectsession.h"
#include "store/projectstore.h"

#include <QPointer>

namespace rs::ui {

CostPreviewer::CostPreviewer(ProjectSession &session, QObject *parent)
    : QObject(parent)
    , m_session(session) {
    m_delay.setSingleShot(true);
    m_delay.setInterval(kDelayMs);
    connect(&m_delay, &QTimer::timeout, this, &CostPreviewer::compute);
}

void CostPreviewer::request(const judge::JudgeConfig &config, bool bypassCache) {
    m_config = config;
    m_bypassCache = bypassCache;
    m_delay.start();
}

void CostPreviewer::compute() {
    if (m_running) {
        m_dirty = true;
        return;
    }
    store::ProjectStore *store = m_session.store();
    if (!store) {
        Q_EMIT failed(tr("No project is open."));
        return;
    }
    m_running = true;
    m_dirty = false;
    Q_EMIT computing();
    // The session stays busy (no project switch) while the worker uses its store. The result
    // goes to the session's thread even when this previewer is gone, so endJob() always runs.
    m_session.beginJob();
    QPointer<CostPreviewer> self(this);
    ProjectSession *session = &m_session;
    runAsync(
        session, QThreadPool::globalInstance(),
        [store, config = m_config, bypass = m_bypassCache]() -> Expected<llm::CostPreview> {
            auto prices = llm::ProviderRegistry::loadPrices();
            const llm::PriceTable table = prices ? prices.value() : llm::PriceTable();
            // JudgeRunner wants a scheduler; a preview never sends anything through it.
            llm::LlmScheduler scheduler(table, store);
            judge::JudgeRunner runner(*store, scheduler);
            return runner.preview(config, table, bypass);
        },
        [self, session](Expected<llm::CostPreview> preview) {
            session->endJob();
            if (!self)
                return;
            self->m_running = false;
            if (self->m_dirty) {
                self->compute();
                return;
            }
            if (preview)
                Q_EMIT self->ready(preview.value());
            else
                Q_EMIT self->failed(preview.error().toString());
        });
}

} // namespace rs::ui
