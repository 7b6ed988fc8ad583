#include "judge/judgecontroller.h"

#include "batch/batchdialog.h"
#include "common/uilogging.h"
#include "jobs/joblistmodel.h"
#include "jobs/jobspanel.h"
#include "judge/judgejob.h"
#include "judge/judgerundialog.h"
#include "judge/judgetemplate.h"
#include "project/projectsession.h"
#include "providers/keychainaccess.h"
#include "providers/keychainkeyresolver.h"
#include "providers/providerlistmodel.h"
#include "providers/providersdialog.h"

#include <QAction>
#include <QDockWidget>
#include <QLocale>
#include <QMainWindow>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>

namespace rs::ui {
namespace {

/// Two jobs with equal keys would judge the same run twice over.
QString runKey(const judge::JudgeConfig &c) {
    return QStringList{c.provider.name,
                       c.provider.model,
                       c.provider.baseUrl,
                       judge::modeName(c.mode),
                       QString::number(c.showWeights),
                       QString::number(c.gradings),
                       judge::JudgeTemplate(c).version(),
                       QString::number(c.temperature),
                       QString::number(c.repeatTemperature),
                       c.tier}
        .join(QChar(0x1f));
}

} // namespace

JudgeController::JudgeController(ProjectSession &session, QMainWindow *window)
    : QObject(window)
    , m_session(session)
    , m_window(window)
    , m_keychain(new KeychainAccess(this))
    , m_keys(std::make_shared<KeychainKeyResolver>(m_keychain))
    , m_providers(new ProviderListModel(llm::ProviderRegistry::defaultPath(), this))
    , m_jobs(new JobListModel(this)) {
    m_panel = new JobsPanel(m_jobs, window);
    m_dock = new QDockWidget(tr("Jobs"), window);
    m_dock->setObjectName(QStringLiteral("jobsDock")); // saveState keys on it
    m_dock->setWidget(m_panel);

    m_runJudge = new QAction(tr("&Run Judge…"), this);
    m_runJudge->setShortcut(Qt::CTRL | Qt::Key_J);
    m_runJudge->setStatusTip(tr("Judge every response against every criterion with an LLM"));
    m_providersAction = new QAction(tr("&Providers…"), this);
    m_providersAction->setStatusTip(tr("LLM providers: models, endpoints, keys and limits"));
    m_batchesAction = new QAction(tr("Provider &Batches…"), this);
    m_batchesAction->setStatusTip(
        tr("Judge through a provider's batch API: write batch files, import the answers"));
    connect(m_runJudge, &QAction::triggered, this, &JudgeController::showRunDialog);
    connect(m_batchesAction, &QAction::triggered, this, &JudgeController::showBatchDialog);
    connect(m_providersAction, &QAction::triggered, this, [this] { showProviders(); });

    connect(&m_session, &ProjectSession::projectOpened, this, &JudgeController::updateActions);
    connect(&m_session, &ProjectSession::projectClosed, this, &JudgeController::updateActions);
    connect(m_panel, &JobsPanel::clearFinishedRequested, this, &JudgeController::clearFinished);
    connect(m_providers, &ProviderListModel::errorOccurred, this, [this](const QString &message) {
        Q_EMIT statusMessage(tr("Providers: %1").arg(message));
    });
    m_providers->load();
    updateActions();
}

JudgeController::~JudgeController() {
    // The panel shows our models: it goes first.
    delete m_dock;
    // Jobs first, while the keychain they may be waiting on still exists; each cancels and
    // waits for its worker (normally none is running: the window asked before closing).
    for (JudgeJob *job : m_jobs->jobs())
        delete job;
}

void JudgeController::addActions(QMenu *menu) {
    menu->addAction(m_runJudge);
    menu->addAction(m_batchesAction);
    menu->addSeparator();
    menu->addAction(m_providersAction);
}

void JudgeController::updateActions() {
    m_runJudge->setEnabled(m_session.isOpen());
    m_batchesAction->setEnabled(m_session.isOpen());
}

void JudgeController::showProviders(QWidget *parent) {
    auto *dialog = new ProvidersDialog(*m_providers, m_keys, parent ? parent : m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

JudgeRunDialog *JudgeController::showRunDialog() {
    if (!m_session.isOpen())
        return nullptr;
    auto *dialog = new JudgeRunDialog(m_session, m_providers, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &JudgeRunDialog::providersRequested, this,
            [this, dialog] { showProviders(dialog); });
    connect(dialog, &QDialog::accepted, this,
            [this, dialog] { startJudge(dialog->config(), dialog->options(), dialog->jobName()); });
    dialog->open();
    return dialog;
}

BatchDialog *JudgeController::showBatchDialog() {
    if (!m_session.isOpen())
        return nullptr;
    auto *dialog = new BatchDialog(m_session, m_providers, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

JudgeJob *JudgeController::startJudge(const judge::JudgeConfig &config,
                                      const llm::JobOptions &options, const QString &name) {
    const QString key = runKey(config);
    for (JudgeJob *other : m_jobs->jobs())
        if (other->isActive() && runKey(other->config()) == key) {
            m_panel->selectJob(other);
            Q_EMIT statusMessage(tr("This judge run is already running."));
            return nullptr;
        }
    auto *job = new JudgeJob(m_session, m_keys, this);
    job->setName(name);
    if (!job->start(config, options)) {
        delete job;
        Q_EMIT statusMessage(tr("Open a project to run the judge."));
        return nullptr;
    }
    m_jobs->addJob(job);
    connect(job, &JudgeJob::finished, this, [this, job] { onJobFinished(job); });
    m_dock->show();
    m_dock->raise();
    m_panel->selectJob(job);
    return job;
}

JudgeJob *JudgeController::startTask(
    const QString &name, const llm::ProviderConfig &provider,
    const std::function<Expected<judge::JudgeRunSummary>(llm::LlmScheduler &, store::ProjectStore &,
                                                         const std::function<bool(const judge::JudgeProgress &)> &,
                                                         const std::atomic<bool> &)> &task) {
    auto *job = new JudgeJob(m_session, m_keys, this);
    job->setName(name);
    if (!job->startTask(provider, task)) {
        delete job;
        Q_EMIT statusMessage(tr("Open a project first."));
        return nullptr;
    }
    m_jobs->addJob(job);
    connect(job, &JudgeJob::finished, this, [this, job] { onJobFinished(job); });
    m_dock->show();
    m_dock->raise();
    m_panel->selectJob(job);
    return job;
}

int JudgeController::activeJobCount() const {
    return m_jobs->activeCount();
}

void JudgeController::onJobFinished(JudgeJob *job) {
    const QLocale locale;
    switch (job->state()) {
    case JudgeJob::State::Failed:
        Q_EMIT statusMessage(tr("%1 could not run: %2").arg(job->name(), job->errorText()));
        break;
    case JudgeJob::State::Cancelled:
        Q_EMIT statusMessage(tr("%1 cancelled; %2 verdicts stored, the rest on the next run.")
                                 .arg(job->name(), locale.toString(job->summary().verdictsStored)));
        break;
    default:
        if (!job->summary().outcome.isEmpty()) {
            Q_EMIT statusMessage(tr("%1 finished: %2.").arg(job->name(), job->summary().outcome));
            break;
        }
        Q_EMIT statusMessage(tr("%1 finished: %2 verdicts stored, %3 failed calls.")
                                 .arg(job->name(), locale.toString(job->summary().verdictsStored),
                                      locale.toString(job->summary().failedCalls)));
        break;
    }
    if (m_closeRequested && activeJobCount() == 0)
        Q_EMIT closeApproved();
}

void JudgeController::clearFinished() {
    for (JudgeJob *job : m_jobs->jobs())
        if (job->isFinished())
            delete job; // the model drops the row on destroyed()
}

bool JudgeController::approveClose() {
    if (activeJobCount() == 0)
        return true;
    if (m_closeRequested) {
        Q_EMIT statusMessage(tr("Waiting for the judge run to stop…"));
        return false;
    }
    if (m_closeQuestion) {
        m_closeQuestion->raise();
        return false;
    }
    qint64 done = 0, total = 0;
    for (JudgeJob *job : m_jobs->jobs())
        if (job->isActive()) {
            done += job->progress().callsDone;
            total += job->progress().callsTotal;
        }
    const QLocale locale;
    auto *box = new QMessageBox(QMessageBox::Question, tr("Judge Run in Progress"),
                                activeJobCount() == 1
                                    ? tr("A judge run is still running (%1 of %2 calls).")
                                          .arg(locale.toString(done), locale.toString(total))
                                    : tr("%1 judge runs are still running.").arg(activeJobCount()),
                                QMessageBox::NoButton, m_window);
    box->setObjectName(QStringLiteral("closeWhileJudging"));
    box->setInformativeText(tr("Cancel and quit? Verdicts stored so far are kept; running the "
                               "judge again with the same settings resumes where it stopped."));
    QPushButton *quit = box->addButton(tr("Cancel Run and Quit"), QMessageBox::DestructiveRole);
    QPushButton *keep = box->addButton(tr("Keep Running"), QMessageBox::RejectRole);
    box->setDefaultButton(keep);
    box->setEscapeButton(keep);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, quit](QAbstractButton *clicked) {
        if (clicked != quit)
            return;
        m_closeRequested = true;
        qCInfo(lcUi) << "quitting: cancelling" << activeJobCount() << "judge jobs";
        for (JudgeJob *job : m_jobs->jobs())
            job->cancel();
        Q_EMIT statusMessage(tr("Cancelling the judge run…"));
        if (activeJobCount() == 0)
            Q_EMIT closeApproved();
    });
    m_closeQuestion = box;
    box->open();
    return false;
}

} // namespace rs::ui
