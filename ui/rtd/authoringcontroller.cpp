#include "rtd/authoringcontroller.h"

#include "rtd/authoringtasks.h"
#include "judge/judgecontroller.h"
#include "project/projectsession.h"

#include <QAction>

namespace rs::ui {

AuthoringController::AuthoringController(ProjectSession &session, JudgeController &judge, QWidget *window)
    : QObject(window), m_session(session), m_judge(judge), m_window(window)
{
    m_generate = new QAction(tr("&Generate Rubrics…"), this);
    m_generate->setStatusTip(tr("Write an initial rubric per prompt with a proposer model"));
    m_collect = new QAction(tr("&Collect Responses…"), this);
    m_collect->setStatusTip(tr("Sample candidate responses from one or more models"));
    connect(m_generate, &QAction::triggered, this, [this] { showDialog(AuthoringDialog::Mode::Generate); });
    connect(m_collect, &QAction::triggered, this, [this] { showDialog(AuthoringDialog::Mode::Collect); });
    auto update = [this] {
        m_generate->setEnabled(m_session.isOpen());
        m_collect->setEnabled(m_session.isOpen());
    };
    connect(&m_session, &ProjectSession::projectOpened, this, update);
    connect(&m_session, &ProjectSession::projectClosed, this, update);
    update();
}

AuthoringDialog *
AuthoringController::showPruneRewrite(const authoring::PruneRewriteConfig &config) {
    return showDialog(AuthoringDialog::Mode::PruneRewrite, config);
}

AuthoringDialog *AuthoringController::showDialog(AuthoringDialog::Mode mode,
                                                 const authoring::PruneRewriteConfig &prune) {
    if (!m_session.isOpen())
        return nullptr;
    auto *dialog = new AuthoringDialog(mode, m_session, *m_judge.providers(), m_promptId, m_window);
    if (mode == AuthoringDialog::Mode::PruneRewrite)
        dialog->setPruneRewrite(prune);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &AuthoringDialog::startRequested, this, [this, dialog] {
        if (dialog->mode() == AuthoringDialog::Mode::Generate) {
            const auto c = dialog->generationConfig();
            m_judge.startTask(dialog->jobName(), c.providers.proposer, generateTask(c, dialog->options()));
        } else if (dialog->mode() == AuthoringDialog::Mode::PruneRewrite) {
            const auto c = dialog->pruneRewriteConfig();
            m_judge.startTask(dialog->jobName(), c.providers.proposer,
                              pruneRewriteTask(c, dialog->options()));
        } else {
            const auto c = dialog->collectConfig();
            m_judge.startTask(dialog->jobName(), c.models.value(0), collectTask(c, dialog->options()));
        }
    });
    dialog->open();
    return dialog;
}

} // namespace rs::ui
