#pragma once

#include "judge/judgeconfig.h"
#include "llm/costpreview.h"

#include <QObject>
#include <QTimer>

namespace rs::ui {

class ProjectSession;

/// Computes the judge dialog's cost preview (judge::JudgeRunner::preview: calls still missing,
/// how many the cache answers, tokens in and out, dollars) on a worker, a moment after the
/// settings stop changing. One preview runs at a time; the latest settings always win.
class CostPreviewer final : public QObject {
    Q_OBJECT

public:
    static constexpr int kDelayMs = 350;

    explicit CostPreviewer(ProjectSession &session, QObject *parent = nullptr);

    /// Asks for a preview of `config` after the debounce delay.
    void request(const judge::JudgeConfig &config, bool bypassCache);
    /// A preview is scheduled or being computed.
    bool isPending() const { return m_delay.isActive() || m_running; }

Q_SIGNALS:
    void computing();
    void ready(const rs::llm::CostPreview &preview);
    void failed(const QString &message);

private:
    void compute();

    ProjectSession &m_session;
    QTimer m_delay;
    judge::JudgeConfig m_config;
    bool m_bypassCache = false;
    bool m_running = false;
    bool m_dirty = false; ///< settings changed while a preview was running
};

} // namespace rs::ui
