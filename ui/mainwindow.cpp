#include "mainwindow.h"

#include "demoproject.h"
#include "importdialog.h"
#include "inspectorpanel.h"
#include "projectsession.h"
#include "projectstatuslabel.h"
#include "promptnavigator.h"
#include "recentprojects.h"
#include "recentprojectsmenu.h"
#include "responsespanel.h"
#include "rubricpanel.h"

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
    setCentralWidget(m_tabs);

    createDocks();
    createMenus();
    m_status = new ProjectStatusLabel(this);
    statusBar()->addWidget(m_status, 1);
    wireSession();
    resize(kDefaultSize);
}

MainWindow::~MainWindow() = default;

void MainWindow::createDocks()
{
    m_navigator = new PromptNavigator(this);
    m_promptsDock = new QDockWidget(tr("Prompts"), this);
    m_promptsDock->setObjectName(QStringLiteral("promptsDock")); // saveState keys on it
    m_promptsDock->setWidget(m_navigator);
    addDockWidget(Qt::LeftDockWidgetArea, m_promptsDock);

    m_inspector = new InspectorPanel(this);
    m_inspector->setRubricModel(m_rubric->model());
    m_inspectorDock = new QDockWidget(tr("Inspector"), this);
    m_inspectorDock->setObjectName(QStringLiteral("inspectorDock"));
    m_inspectorDock->setWidget(m_inspector);
    addDockWidget(Qt::RightDockWidgetArea, m_inspectorDock);

    resizeDocks({m_promptsDock, m_inspectorDock}, {330, 380}, Qt::Horizontal);
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
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_promptsDock->toggleViewAction());
    view->addAction(m_inspectorDock->toggleViewAction());

    QMenu *help = menuBar()->addMenu(tr("&Help"));
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
    });
    connect(m_responses, &ResponsesPanel::currentResponseChanged, m_inspector,
            &InspectorPanel::showResponse);
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
    m_status->refresh(path);
    m_importAction->setEnabled(true);
}

void MainWindow::onProjectClosed()
{
    setWindowTitle(tr("Rubric Studio"));
    // The views read by path; an empty one empties them.
    m_navigator->setProject({});
    m_responses->setProject({});
    m_rubric->setProject({});
    m_status->refresh({});
    m_importAction->setEnabled(false);
}

void MainWindow::onProjectChanged()
{
    m_navigator->refresh();
    m_responses->reload();
    m_rubric->reload();
    m_status->refresh(m_session->path());
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

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, tr("About Rubric Studio"),
        tr("<h3>Rubric Studio %1</h3>"
           "<p>Author, refine, judge and inspect rubric rewards, and export them for RL "
           "training.</p><p>Projects are single SQLite files; every change is saved as it "
           "is made.</p>")
            .arg(QStringLiteral(RS_VERSION)));
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
