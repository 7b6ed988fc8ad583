#include "mainwindow.h"

#include "analysis/analysispanel.h"
#include "analysis/trainingcurvesdialog.h"
#include "common/components.h"
#include "common/theme.h"
#include "compare/comparepanel.h"
#include "judge/judgecontroller.h"
#include "navigator/promptlistmodel.h"
#include "navigator/promptnavigator.h"
#include "packs/packcontroller.h"
#include "project/demoproject.h"
#include "project/importdialog.h"
#include "project/projectedits.h"
#include "project/projectsession.h"
#include "project/projectstatuslabel.h"
#include "project/recentprojects.h"
#include "project/recentprojectsmenu.h"
#include "responses/inspectorpanel.h"
#include "responses/responsespanel.h"
#include "rtd/authoringcontroller.h"
#include "rtd/rtdpanel.h"
#include "rubric/rubricpanel.h"
#include "shortcutsdialog.h"
#include "labels/labelspanel.h"
#include "training/trainingpanel.h"
#include "verdicts/missingverdictsetting.h"
#include "verdicts/verdictgridmodel.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QUndoGroup>
#include <QUndoStack>

namespace rs::ui {
namespace {
const QString kProjectFilter = QStringLiteral("Rubric Studio projects (*.rubrics);;All files (*)");
const QString kGeometryKey = QStringLiteral("window/geometry");
const QString kStateKey = QStringLiteral("window/state");
const QString kResponsesSplitKey = QStringLiteral("window/responsesSplitter");
constexpr int kLayoutVersion = 1; // bump when docks change, so old saved states are ignored

QString projectDialogDir()
{
    const QStringList recent = RecentProjects::list();
    if (!recent.isEmpty())
        return QFileInfo(recent.first()).absolutePath();
    return QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_session(new ProjectSession(this))
{
    setWindowTitle(tr("Rubric Studio"));
    setDockOptions(AnimatedDocks | AllowTabbedDocks);

    m_responses = new ResponsesPanel(this);
    m_rubric = new RubricPanel(this);
    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_responses, tr("Responses"));
    m_tabs->addTab(m_rubric, tr("Rubric"));
    m_compare = new ComparePanel(m_responses->model(), this);
    m_tabs->addTab(m_compare, tr("Compare"));
    m_analysis = new AnalysisPanel(this);
    m_tabs->addTab(m_analysis, tr("Analysis"));
    setCentralWidget(m_tabs);

    createDocks();
    m_rtd = new RtdPanel(this);
    m_tabs->addTab(m_rtd, tr("RTD"));
    m_training = new TrainingPanel(this);
    m_tabs->addTab(m_training, tr("Training"));
    m_labels = new LabelsPanel(this);
    m_tabs->addTab(m_labels, tr("Labels"));
    // New labels change judge-vs-human agreement; the Analysis tab recomputes (debounced).
    connect(m_labels, &LabelsPanel::labelStored, m_analysis, &AnalysisPanel::projectChanged);
    m_rtd->setController(m_session, m_judge);
    m_training->setController(m_judge);
    m_authoring = new AuthoringController(*m_session, *m_judge, this);
    createMenus();
    m_status = new ProjectStatusLabel(this);
    statusBar()->addWidget(m_status, 1);
    wireSession();
    resize(kDefaultSize);
}

MainWindow::~MainWindow()
{
    // Judge jobs write through the session's store: they stop before the session (an earlier
    // child) is deleted.
    delete m_judge;
}

void MainWindow::createDocks()
{
    m_navigator = new PromptNavigator(this);
    m_promptsDock = new QDockWidget(tr("Prompts"), this);
    m_promptsDock->setObjectName(QStringLiteral("promptsDock")); // saveState keys on it
    m_promptsDock->setWidget(m_navigator);
    addDockWidget(Qt::LeftDockWidgetArea, m_promptsDock);

    m_inspector = new InspectorPanel(this);
    m_inspectorDock = new QDockWidget(tr("Inspector"), this);
    m_inspectorDock->setObjectName(QStringLiteral("inspectorDock"));
    m_inspectorDock->setWidget(m_inspector);
    addDockWidget(Qt::RightDockWidgetArea, m_inspectorDock);

    resizeDocks({m_promptsDock, m_inspectorDock}, {330, 380}, Qt::Horizontal);

    // Jobs across the whole bottom, under the side docks too, as in the product sketch.
    m_judge = new JudgeController(*m_session, this);
    setCorner(Qt::BottomLeftCorner, Qt::BottomDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::BottomDockWidgetArea);
    addDockWidget(Qt::BottomDockWidgetArea, m_judge->jobsDock());
    resizeDocks({m_judge->jobsDock()}, {130}, Qt::Vertical);
    connect(m_judge, &JudgeController::statusMessage, this,
            [this](const QString &message) { statusBar()->showMessage(message, 8000); });
    connect(m_judge, &JudgeController::closeApproved, this, &QWidget::close);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *newAction = file->addAction(tr("&New Project…"), this, &MainWindow::newProject);
    newAction->setShortcut(QKeySequence::New);
    QAction *openAction = file->addAction(tr("&Open Project…"), this, &MainWindow::openProject);
    openAction->setShortcut(QKeySequence::Open);
    auto *recent = new RecentProjectsMenu(this);
    file->addMenu(recent);
    connect(recent, &RecentProjectsMenu::projectChosen, m_session, &ProjectSession::openProject);
    file->addAction(tr("Open &Demo Project"), this,
                    [this] { m_session->openDemoProject(DemoProject::defaultPath()); });
    file->addSeparator();
    m_importAction = file->addAction(tr("&Import…"), this, &MainWindow::importFiles);
    m_importAction->setShortcut(Qt::CTRL | Qt::Key_I);
    m_importAction->setEnabled(false);
    (new PackController(*m_session, this, [this] { return m_navigator->currentPromptId(); }))->addActions(file);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    if (quit->shortcut().isEmpty()) // some platforms (and desktops) define no standard Quit key
        quit->setShortcut(Qt::CTRL | Qt::Key_Q);
    quit->setMenuRole(QAction::QuitRole);

    // Every edit (overrides, preferences) is a command on the project's undo stack.
    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    // The Rubric tab edits a draft with a history of its own; the other tabs edit the project.
    auto *undo = new QUndoGroup(this);
    auto followTab = [this, undo] {
        QUndoStack *stack = m_session->edits()->undoStack();
        if (m_tabs->currentWidget() == m_rubric && m_rubric->undoStack())
            stack = m_rubric->undoStack();
        if (!undo->stacks().contains(stack))
            undo->addStack(stack);
        undo->setActiveStack(stack);
    };
    followTab();
    connect(m_tabs, &QTabWidget::currentChanged, this, followTab);
    connect(m_rubric, &RubricPanel::undoStackChanged, this, followTab);
    QAction *undoAction = undo->createUndoAction(this, tr("&Undo"));
    undoAction->setObjectName(QStringLiteral("undoAction"));
    undoAction->setShortcut(QKeySequence::Undo);
    QAction *redoAction = undo->createRedoAction(this, tr("&Redo"));
    redoAction->setObjectName(QStringLiteral("redoAction"));
    redoAction->setShortcut(QKeySequence::Redo);
    edit->addAction(undoAction);
    edit->addAction(redoAction);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_promptsDock->toggleViewAction());
    view->addAction(m_inspectorDock->toggleViewAction());
    view->addAction(m_judge->jobsDock()->toggleViewAction());
    // Every main action has a key; the panels get Ctrl+1..3 in their on-screen order.
    m_promptsDock->toggleViewAction()->setShortcut(Qt::CTRL | Qt::Key_1);
    m_inspectorDock->toggleViewAction()->setShortcut(Qt::CTRL | Qt::Key_2);
    m_judge->jobsDock()->toggleViewAction()->setShortcut(Qt::CTRL | Qt::Key_3);
    view->addSeparator();
    Theme::instance()->addMenu(view);

    menuBar()->addMenu(tr("&Rubrics"))->addAction(m_authoring->generateAction());
    menuBar()->addMenu(tr("Res&ponses"))->addAction(m_authoring->collectAction());
    QMenu *judgeMenu = menuBar()->addMenu(tr("&Judge"));
    m_judge->addActions(judgeMenu);
    m_judge->providersAction()->setShortcut(Qt::CTRL | Qt::SHIFT | Qt::Key_P);
    judgeMenu->addSeparator();
    // A way of reading rewards, so next to the judge rather than in one tab: the rankings,
    // the reward breakdown and the Analysis tab all follow it.
    MissingVerdictSetting::instance()->addMenu(judgeMenu);

    QMenu *analysis = menuBar()->addMenu(tr("&Analysis"));
    analysis->addAction(tr("&Export Report…"), m_analysis, &AnalysisPanel::exportReportWithDialog)
        ->setShortcut(Qt::CTRL | Qt::SHIFT | Qt::Key_R);
    m_curvesAction = analysis->addAction(tr("Import &Training Curves…"), this,
                                         &MainWindow::importTrainingCurves);
    m_curvesAction->setStatusTip(
        tr("RL training curves (step, win rate, rubric reward) for the over-optimisation chart"));
    m_curvesAction->setEnabled(false);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Keyboard Shortcuts"), this, &MainWindow::showShortcuts)
        ->setShortcut(Qt::CTRL | Qt::Key_Slash);
    help->addAction(tr("&About Rubric Studio"), this, &MainWindow::showAbout)
        ->setMenuRole(QAction::AboutRole);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt)
        ->setMenuRole(QAction::AboutQtRole);
}

void MainWindow::wireSession()
{
    connect(m_session, &ProjectSession::projectOpened, this, &MainWindow::onProjectOpened);
    connect(m_session, &ProjectSession::projectClosed, this, &MainWindow::onProjectClosed);
    connect(m_session, &ProjectSession::projectChanged, this, &MainWindow::onProjectChanged);
    connect(m_session, &ProjectSession::openFailed, this, &MainWindow::onOpenFailed);
    connect(m_session, &ProjectSession::statusMessage, this,
            [this](const QString &message) { statusBar()->showMessage(message, 4000); });
    connect(m_navigator, &PromptNavigator::promptSelected, this, [this](qint64 promptId) {
        m_responses->setPrompt(promptId);
        m_rubric->setPrompt(promptId);
        m_rtd->setPrompt(promptId);
        m_authoring->setCurrentPrompt(promptId);
        m_analysis->setCurrentPrompt(promptId);
    });
    connect(m_analysis, &AnalysisPanel::pointActivated, this, &MainWindow::openFromChart);
    connect(m_responses, &ResponsesPanel::responsesLoaded, this, [this](qint64 promptId, int) {
        if (m_pendingResponse && promptId == m_responses->promptId()) {
            m_responses->selectCell(m_pendingResponse, -1);
            m_pendingResponse = 0;
        }
    });
    connect(m_rtd, &RtdPanel::message, this,
            [this](const QString &message) { statusBar()->showMessage(message, 6000); });
    // Online refinement: the Training tab's step becomes the RTD tab's pool.
    connect(m_training, &TrainingPanel::refineStepRequested, this, [this](qint64 step) {
        m_rtd->setServedStep(step);
        m_tabs->setCurrentWidget(m_rtd);
    });
    auto *missing = MissingVerdictSetting::instance();
    auto followMissing = [this](judge::MissingPolicy policy) {
        m_responses->model()->setMissingPolicy(policy);
        m_analysis->setMissingPolicy(policy);
    };
    followMissing(missing->policy());
    connect(missing, &MissingVerdictSetting::changed, this, followMissing);
    m_responses->setEdits(m_session->edits());
    m_compare->setEdits(m_session->edits());
    m_rubric->setEdits(m_session->edits());
    connect(m_rubric, &RubricPanel::message, this,
            [this](const QString &message) { statusBar()->showMessage(message, 4000); });
    // The Rubric tab's dead-criteria list: open a prompt in place, rewrite through the
    // authoring dialog (a job), and after a prune let every view read the project again.
    connect(m_rubric, &RubricPanel::promptActivated, this, &MainWindow::showPrompt);
    connect(m_rubric, &RubricPanel::pruneRewriteRequested, this,
            [this](const authoring::PruneRewriteConfig &config) {
                m_authoring->showPruneRewrite(config);
            });
    connect(m_rubric, &RubricPanel::rubricsChanged, m_session, &ProjectSession::notifyChanged);
    m_inspector->setVerdictEditor(m_responses->verdictEditor());
    connect(m_responses, &ResponsesPanel::compareRequested, this,
            [this](const QList<qint64> &ids) {
                m_compare->setChosen(ids);
                m_tabs->setCurrentWidget(m_compare);
            });
    // A verdict picked in the Compare tab is the inspector's (and the overrides') cell too.
    connect(m_compare, &ComparePanel::verdictSelected, m_responses, &ResponsesPanel::selectCell);
    connect(m_responses, &ResponsesPanel::message, this,
            [this](const QString &message) { statusBar()->showMessage(message, 4000); });
    connect(m_session->edits(), &ProjectEdits::failed, this,
            [this](const QString &message) { statusBar()->showMessage(message, 10000); });
}

void MainWindow::onProjectOpened(const QString &path)
{
    RecentProjects::add(path);
    statusBar()->clearMessage(); // the project line below says more than "Building…"
    setWindowTitle(tr("%1 — Rubric Studio").arg(QFileInfo(path).fileName()));
    setWindowFilePath(path);
    m_navigator->setProject(path);
    m_responses->setProject(path);
    m_rubric->setProject(path);
    m_rtd->setProject(path);
    m_analysis->setProject(path);
    m_training->setProject(path);
    m_labels->setProject(m_session->store(), path);
    m_status->refresh(path);
    m_importAction->setEnabled(true);
    m_curvesAction->setEnabled(true);
}

void MainWindow::onProjectClosed()
{
    setWindowTitle(tr("Rubric Studio"));
    // The views read by path; an empty one empties them.
    m_navigator->setProject({});
    m_responses->setProject({});
    m_rubric->setProject({});
    m_rtd->setProject({});
    m_analysis->setProject({});
    m_training->setProject({});
    m_labels->setProject(nullptr, {});
    m_status->refresh({});
    m_importAction->setEnabled(false);
    m_curvesAction->setEnabled(false);
}

void MainWindow::onProjectChanged()
{
    m_navigator->refresh();
    m_responses->reload();
    m_rubric->reload();
    m_rtd->reload();
    m_analysis->projectChanged();
    m_training->reload();
    m_labels->reload();
    m_status->refresh(m_session->path());
}

void MainWindow::openFromChart(qint64 promptId, qint64 responseId)
{
    if (!promptId)
        return;
    m_tabs->setCurrentWidget(m_responses);
    if (promptId == m_responses->promptId() && m_responses->isSettled()) {
        if (responseId)
            m_responses->selectCell(responseId, -1);
        return;
    }
    m_pendingResponse = responseId;
    showPrompt(promptId);
}

void MainWindow::showPrompt(qint64 promptId) {
    // The navigator is filled lazily: select the prompt there when it is listed, else show
    // it directly in the panels.
    PromptListModel *prompts = m_navigator->model();
    for (int i = 0; i < prompts->rowCount(); ++i) {
        if (prompts->promptIdAt(i) == promptId) {
            m_navigator->selectRow(i);
            return;
        }
    }
    m_responses->setPrompt(promptId);
    m_rubric->setPrompt(promptId);
    m_analysis->setCurrentPrompt(promptId);
}

void MainWindow::onOpenFailed(const QString &path, const QString &message, bool missing)
{
    // Not exec(): a nested event loop here would stall scripted runs (--screenshot).
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Cannot open project"),
                                tr("Cannot open %1").arg(QDir::toNativeSeparators(path)),
                                QMessageBox::Ok, this);
    box->setInformativeText(message);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
    if (missing)
        RecentProjects::remove(path); // a moved or deleted project should leave the menu
}

void MainWindow::newProject()
{
    QString path =
        QFileDialog::getSaveFileName(this, tr("New Project"), projectDialogDir(), kProjectFilter,
                                     nullptr, QFileDialog::DontConfirmOverwrite);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".rubrics");
    m_session->createProject(path);
}

void MainWindow::openProject()
{
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open Project"), projectDialogDir(), kProjectFilter);
    if (!path.isEmpty())
        m_session->openProject(path);
}

void MainWindow::importFiles()
{
    if (!m_session->isOpen())
        return;
    ImportDialog dialog(*m_session, this);
    dialog.exec();
}

TrainingCurvesDialog *MainWindow::importTrainingCurves()
{
    if (!m_session->isOpen())
        return nullptr;
    auto *dialog = new TrainingCurvesDialog(*m_session, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // Where the curves show: the over-optimisation page, recomputed after the import.
    connect(dialog, &TrainingCurvesDialog::imported, this, [this] {
        m_analysis->showFamily(AnalysisPanel::OverOptimisation);
        m_tabs->setCurrentWidget(m_analysis);
    });
    dialog->open();
    return dialog;
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Rubric Studio"), aboutText());
}

QString MainWindow::aboutText()
{
    QString rows;
    QList<Component> components = coreComponents();
    // QtKeychain reports no version at run time; the package's is what it was built against.
    components.push_back({QStringLiteral("QtKeychain"), tr("as packaged"), QStringLiteral("BSD-3-Clause")});
    for (const Component &c : components)
        rows += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td></tr>")
                    .arg(c.name.toHtmlEscaped(), c.version.toHtmlEscaped(), c.licence.toHtmlEscaped());
    return tr("<h3>Rubric Studio %1</h3>"
              "<p>Author, refine, judge and inspect rubric rewards, and export them for RL "
              "training.</p><p>Projects are single SQLite files; every change is saved as it "
              "is made.</p><p>Built on:</p>"
              "<table cellspacing=\"6\"><tr><th align=\"left\">Library</th>"
              "<th align=\"left\">Version</th><th align=\"left\">Licence</th></tr>%2</table>")
        .arg(QStringLiteral(RS_VERSION), rows);
}

void MainWindow::showShortcuts()
{
    ShortcutsDialog dialog(menuBar(), this);
    dialog.exec();
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    restoreGeometry(settings.value(kGeometryKey).toByteArray());
    restoreState(settings.value(kStateKey).toByteArray(), kLayoutVersion);
    m_responses->restoreLayout(settings.value(kResponsesSplitKey).toByteArray());
}

void MainWindow::saveLayout() const
{
    QSettings settings;
    settings.setValue(kGeometryKey, saveGeometry());
    settings.setValue(kStateKey, saveState(kLayoutVersion));
    settings.setValue(kResponsesSplitKey, m_responses->saveLayout());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!m_judge->approveClose()) { // asks, cancels the jobs, and closes again when they stop
        event->ignore();
        return;
    }
    if (m_session->isBusy() && m_session->store()) {
        statusBar()->showMessage(tr("An import is running; cancel it before quitting."), 5000);
        event->ignore();
        return;
    }
    if (m_persistLayout)
        saveLayout();
    event->accept();
}

} // namespace rs::ui
