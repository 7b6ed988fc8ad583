#pragma once

#include "rtd/authoringdialog.h"

#include <QObject>

class QAction;
class QMenu;
class QWidget;

namespace rs::ui {

class JudgeController;
class ProjectSession;

/// The authoring menu actions (Rubrics > Generate…, Responses > Collect…) and the dead-criteria
/// rewrite: each opens an AuthoringDialog whose cost preview comes first, and Start runs the job
/// in the Jobs dock.
class AuthoringController final : public QObject {
    Q_OBJECT

public:
    AuthoringController(ProjectSession &session, JudgeController &judge, QWidget *window);

    QAction *generateAction() const { return m_generate; }
    QAction *collectAction() const { return m_collect; }
    /// The prompt the dialogs offer as "Current prompt".
    void setCurrentPrompt(qint64 promptId) { m_promptId = promptId; }
    /// `prune` is the selection to rewrite, for Mode::PruneRewrite only.
    AuthoringDialog *showDialog(AuthoringDialog::Mode mode,
                                const authoring::PruneRewriteConfig &prune = {});
    /// The proposer dialog for rewriting these dead criteria (from the Rubric tab's list); Start
    /// runs the rewrite as a job.
    AuthoringDialog *showPruneRewrite(const authoring::PruneRewriteConfig &config);

private:
    ProjectSession &m_session;
    JudgeController &m_judge;
    QWidget *m_window = nullptr;
    QAction *m_generate = nullptr;
    QAction *m_collect = nullptr;
    qint64 m_promptId = 0;
};

} // namespace rs::ui
