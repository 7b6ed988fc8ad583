// The studio window over the demo project, offscreen: what a user sees after opening it and
// picking a prompt and a response, and what the window remembers between runs.

#include "analysis/analysispage.h"
#include "analysis/analysispanel.h"
#include "analysis/chartpanel.h"
#include "analysis/trainingcurvesdialog.h"
#include "authoring/rtdrounds.h"
#include "batch/batchdialog.h"
#include "common/markdownview.h"
#include "common/roles.h"
#include "demodata.h"
#include "import/importer.h"
#include "judge/judgecontroller.h"
#include "mainwindow.h"
#include "navigator/promptlistmodel.h"
#include "navigator/promptnavigator.h"
#include "project/demoproject.h"
#include "project/importdialog.h"
#include "project/projectsession.h"
#include "project/projectstatuslabel.h"
#include "project/recentprojects.h"
#include "responses/inspectorpanel.h"
#include "responses/responsespanel.h"
#include "rtd/rtdpanel.h"
#include "rtd/rtdproposalmodel.h"
#include "rtd/rtdroundmodel.h"
#include "rubric/rubricpanel.h"
#include "rubric/rubrictablemodel.h"
#include "rubric/rubricversions.h"
#include "store/database.h"
#include "store/projectmeta.h"
#include "store/projectstore.h"
#include "studiolauncher.h"
#include "verdicts/missingverdictsetting.h"
#include "verdicts/verdictgridmodel.h"

#include <QAction>
#include <QChart>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenuBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QValueAxis>

using namespace rs;
using namespace rs::ui;

namespace {
constexpr int kTimeoutMs = 20000;
} // namespace

class TestMainWindow final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();

    void openDemo_showsPromptsResponsesReaderAndRubric();
    void pickingAResponse_showsItInTheReaderAndInspector();
    void typingInTheFilter_narrowsTheNavigator();
    void importing_refreshesTheViews();
    void closing_remembersDocksAndRecentProjects();
    void missingProject_reportsAndLeavesRecentList();
    void launcher_parsesTheCommandLine();
    void navigator_fetchesMoreAsTheUserScrolls();
    void demo_showsEveryView();
    void demo_olderContentIsRebuilt();
    void switchingTabs_keepsTheDockWidths();
    void missingVerdictSetting_changesRewardsAndIsRemembered();
    void screenshots();

private:
    void openAndWait(MainWindow &window, const QString &path);
    int proxyRowOf(MainWindow &window, const QString &generator);

    QTemporaryDir m_dir;
    QString m_project;
    QList<test::DemoPrompt> m_demo;
};

void TestMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("RubricStudioTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
    QSettings().clear();
    QVERIFY(m_dir.isValid());
    m_project = m_dir.filePath(QStringLiteral("demo.rubrics"));
    auto built = DemoProject::build(m_project);
    QVERIFY2(built.ok(), qPrintable(built.ok() ? QString() : built.error().toString()));
    m_demo = test::loadDemoData(true);
}

void TestMainWindow::cleanup()
{
    QSettings().clear();
    MissingVerdictSetting::instance()->reload();
}

void TestMainWindow::openAndWait(MainWindow &window, const QString &path)
{
    QSignalSpy opened(window.session(), &ProjectSession::projectOpened);
    window.session()->openProject(path);
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(window.navigator()->model()->rowCount(), m_demo.size(), kTimeoutMs);
}

int TestMainWindow::proxyRowOf(MainWindow &window, const QString &generator)
{
    QSortFilterProxyModel *proxy = window.responsesPanel()->proxy();
    for (int row = 0; row < proxy->rowCount(); ++row)
        if (proxy->index(row, 0).data(GeneratorRole).toString() == generator)
            return row;
    return -1;
}

void TestMainWindow::openDemo_showsPromptsResponsesReaderAndRubric()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    openAndWait(window, m_project);
    QCOMPARE(window.tabs()->count(), 7);
    QCOMPARE(window.tabs()->tabText(0), QStringLiteral("Responses"));
    QCOMPARE(window.tabs()->tabText(1), QStringLiteral("Rubric"));
    QCOMPARE(window.tabs()->tabText(2), QStringLiteral("Compare"));
    QCOMPARE(window.tabs()->tabText(3), QStringLiteral("Analysis"));
    QCOMPARE(window.tabs()->tabText(4), QStringLiteral("RTD"));
    QCOMPARE(window.tabs()->tabText(5), QStringLiteral("Training"));
    QCOMPARE(window.tabs()->tabText(6), QStringLiteral("Labels"));

    // The first prompt is picked for the user; now pick the third, as a user would.
    PromptNavigator *nav = window.navigator();
    QTRY_VERIFY_WITH_TIMEOUT(nav->currentPromptId() != 0, kTimeoutMs);
    const int row = 2;
    const test::DemoPrompt &demo = m_demo[row];
    QVERIFY(demo.text.startsWith(nav->model()->index(row).data(PromptTextRole).toString()));
    const QRect rect = nav->view()->visualRect(nav->model()->index(row));
    QTest::mouseClick(nav->view()->viewport(), Qt::LeftButton, {}, rect.center());
    const qint64 promptId = nav->model()->promptIdAt(row);
    QCOMPARE(nav->currentPromptId(), promptId);

    ResponsesPanel *responses = window.responsesPanel();
    QTRY_VERIFY_WITH_TIMEOUT(responses->isSettled() && responses->promptId() == promptId,
                             kTimeoutMs);
    QCOMPARE(responses->proxy()->rowCount(), demo.responses.size());
    QVERIFY(responses->promptView()->toPlainText().contains(demo.text.left(40)));
    QStringList shownGenerators;
    for (int r = 0; r < responses->proxy()->rowCount(); ++r)
        shownGenerators
            << responses->proxy()->index(r, VerdictGridModel::GeneratorColumn).data().toString();
    QVERIFY(shownGenerators.contains(QStringLiteral("frontier-large")));

    // The demo comes judged (graded by hand, twice): the latest run is chosen and every
    // response has a reward.
    QVERIFY2(responses->runSelector()->currentText().contains(DemoProject::secondRunName()),
             qPrintable(responses->runSelector()->currentText()));
    QVERIFY(responses->runSelector()->isEnabled());
    for (int r = 0; r < responses->proxy()->rowCount(); ++r)
        QVERIFY(responses->proxy()->index(r, 0).data(RewardRole).isValid());
    QCOMPARE(responses->proxy()->columnCount(),
             VerdictGridModel::FirstCriterionColumn + demo.criteria.size());

    // The best response is on top and already in the reader.
    QCOMPARE(responses->proxy()->index(0, VerdictGridModel::TierColumn).data().toString(),
             QStringLiteral("great"));
    const QString generator =
        responses->proxy()->index(0, VerdictGridModel::GeneratorColumn).data().toString();
    QString expectedPhrase;
    for (const test::DemoResponse &r : demo.responses)
        if (r.generator == generator)
            expectedPhrase = test::plainPhrase(r.text);
    QVERIFY(!expectedPhrase.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(responses->reader()->toPlainText().contains(expectedPhrase),
                             kTimeoutMs);

    // The Rubric tab: the right number of criteria, with their weights.
    window.tabs()->setCurrentWidget(window.rubricPanel());
    RubricPanel *rubric = window.rubricPanel();
    QTRY_VERIFY_WITH_TIMEOUT(rubric->model()->loadedPromptId() == promptId, kTimeoutMs);
    QCOMPARE(rubric->table()->model()->rowCount(), demo.criteria.size());
    for (int c = 0; c < demo.criteria.size(); ++c) {
        QCOMPARE(
            rubric->table()->model()->index(c, RubricTableModel::CriterionColumn).data().toString(),
            demo.criteria[c].text);
        QCOMPARE(
            rubric->table()->model()->index(c, RubricTableModel::WeightColumn).data().toString(),
            QString::number(int(demo.criteria[c].weight)));
    }
    QVERIFY(rubric->summary()->text().contains(QLatin1String("weights scoring")));
    QVERIFY(rubric->summary()->text().contains(QLatin1String("1 version")));

    // The status bar counts the whole project.
    int responsesTotal = 0;
    for (const test::DemoPrompt &p : m_demo)
        responsesTotal += int(p.responses.size());
    QTRY_VERIFY_WITH_TIMEOUT(
        window.projectStatus()->text().contains(QStringLiteral("%1 responses").arg(responsesTotal)),
        kTimeoutMs);
    QVERIFY(
        window.projectStatus()->text().contains(QStringLiteral("%1 prompts").arg(m_demo.size())));
}

void TestMainWindow::pickingAResponse_showsItInTheReaderAndInspector()
{
    MainWindow window;
    window.show();
    openAndWait(window, m_project);
    const test::DemoPrompt &demo = m_demo[0];
    ResponsesPanel *responses = window.responsesPanel();
    QTRY_VERIFY_WITH_TIMEOUT(responses->isSettled() && responses->promptId() != 0, kTimeoutMs);

    const test::DemoResponse &pick = demo.responses.last(); // the weakest
    const int row = proxyRowOf(window, pick.generator);
    QVERIFY(row >= 0);
    const QRect rect = responses->table()->visualRect(responses->proxy()->index(row, 0));
    QTest::mouseClick(responses->table()->viewport(), Qt::LeftButton, {}, rect.center());
    QTRY_VERIFY_WITH_TIMEOUT(
        responses->reader()->toPlainText().contains(test::plainPhrase(pick.text)), kTimeoutMs);
    QCOMPARE(responses->reader()->markdown(), pick.text);
    QVERIFY(window.inspector()->responseSummary().contains(pick.generator));
    QVERIFY(window.inspector()->responseSummary().contains(pick.tier));
    // The reward breakdown lists the criteria and how the demo's hand-graded run adds up.
    QCOMPARE(window.inspector()->breakdownView()->model()->rowCount(), demo.criteria.size());
    QTRY_VERIFY_WITH_TIMEOUT(
        window.inspector()->breakdownSummary()->text().startsWith(QLatin1String("Reward ")), kTimeoutMs);
}

void TestMainWindow::typingInTheFilter_narrowsTheNavigator()
{
    MainWindow window;
    window.show();
    openAndWait(window, m_project);
    PromptNavigator *nav = window.navigator();
    QTest::keyClicks(nav->filterEdit(), QStringLiteral("headache"));
    QTRY_COMPARE_WITH_TIMEOUT(nav->model()->rowCount(), 1, kTimeoutMs);
    QVERIFY(
        nav->model()->index(0).data(PromptTextRole).toString().contains(QLatin1String("headache")));
    nav->filterEdit()->clear();
    QTRY_COMPARE_WITH_TIMEOUT(nav->model()->rowCount(), m_demo.size(), kTimeoutMs);
}

void TestMainWindow::importing_refreshesTheViews()
{
    // Import into a copy, so the other tests keep the pristine demo.
    const QString copy = m_dir.filePath(QStringLiteral("import-target.rubrics"));
    QFile::remove(copy);
    QVERIFY(QFile::copy(m_project, copy));
    const QString extra = m_dir.filePath(QStringLiteral("extra.jsonl"));
    {
        QFile f(extra);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"instruction\": \"Name three primary colours.\", \"output\": \"Red, yellow and "
                "blue.\", \"generator\": \"frontier-small\"}\n");
    }
    MainWindow window;
    window.show();
    openAndWait(window, copy);
    QTRY_VERIFY_WITH_TIMEOUT(
        window.projectStatus()->text().contains(QStringLiteral("%1 prompts").arg(m_demo.size())),
        kTimeoutMs);

    ImportDialog dialog(*window.session(), &window);
    dialog.setFiles({extra});
    dialog.setFormat(import::Format::Auto);
    dialog.setOnError(import::OnError::Abort);
    QSignalSpy imported(&dialog, &ImportDialog::imported);
    QSignalSpy changed(window.session(), &ProjectSession::projectChanged);
    QVERIFY(dialog.startImport());
    QTRY_COMPARE_WITH_TIMEOUT(imported.count(), 1, kTimeoutMs);
    QCOMPARE(changed.count(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(window.navigator()->model()->rowCount(), m_demo.size() + 1,
                              kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(window.projectStatus()->text().contains(
                                 QStringLiteral("%1 prompts").arg(m_demo.size() + 1)),
                             kTimeoutMs);
    const QModelIndex added = window.navigator()->model()->index(m_demo.size());
    QCOMPARE(added.data(CountsTextRole).toString(), QStringLiteral("1 resp · no rubric"));
}

void TestMainWindow::closing_remembersDocksAndRecentProjects()
{
    {
        MainWindow window;
        window.restoreLayout();
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        openAndWait(window, m_project);
        auto *inspectorDock = window.findChild<QDockWidget *>(QStringLiteral("inspectorDock"));
        QVERIFY(inspectorDock);
        QVERIFY(inspectorDock->isVisible());
        inspectorDock->toggleViewAction()->trigger();
        QVERIFY(!inspectorDock->isVisible());
        QVERIFY(window.close());
    }
    QCOMPARE(RecentProjects::list().value(0), QFileInfo(m_project).absoluteFilePath());
    MainWindow again;
    again.restoreLayout();
    again.show();
    QVERIFY(QTest::qWaitForWindowExposed(&again));
    auto *inspectorDock = again.findChild<QDockWidget *>(QStringLiteral("inspectorDock"));
    QVERIFY(!inspectorDock->isVisible());
    auto *promptsDock = again.findChild<QDockWidget *>(QStringLiteral("promptsDock"));
    QVERIFY(promptsDock->isVisible());
}

void TestMainWindow::missingProject_reportsAndLeavesRecentList()
{
    const QString missing = m_dir.filePath(QStringLiteral("gone.rubrics"));
    RecentProjects::add(missing);
    MainWindow window;
    window.show();
    QSignalSpy failed(window.session(), &ProjectSession::openFailed);
    window.session()->openProject(missing);
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, kTimeoutMs);
    QVERIFY(!window.session()->isOpen());
    QVERIFY(!RecentProjects::list().contains(QFileInfo(missing).absoluteFilePath()));
}

void TestMainWindow::launcher_parsesTheCommandLine()
{
    LaunchOptions options;
    QString error;
    QVERIFY(StudioLauncher::parse({QStringLiteral("rubric-studio"), QStringLiteral("--demo"),
                                   QStringLiteral("--screenshot"), QStringLiteral("out.png")},
                                  &options, &error));
    QVERIFY(options.demo);
    QCOMPARE(options.screenshotPath, QStringLiteral("out.png"));
    QVERIFY(options.projectPath.isEmpty());

    options = {};
    QVERIFY(StudioLauncher::parse({QStringLiteral("rubric-studio"), QStringLiteral("a.rubrics")},
                                  &options, &error));
    QCOMPARE(options.projectPath, QStringLiteral("a.rubrics"));
    QVERIFY(!options.demo);

    QVERIFY(!StudioLauncher::parse(
        {QStringLiteral("rubric-studio"), QStringLiteral("--demo"), QStringLiteral("a.rubrics")},
        &options, &error));
    QVERIFY(!error.isEmpty());
}

void TestMainWindow::navigator_fetchesMoreAsTheUserScrolls()
{
    // More prompts than two pages: the list starts with one page and grows as it is scrolled.
    const int prompts = PromptListModel::kDefaultPageSize * 2 + 50;
    const QString file = m_dir.filePath(QStringLiteral("many.jsonl"));
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        for (int i = 0; i < prompts; ++i)
            f.write("{\"q\": \"Question number " + QByteArray::number(i) +
                    "\", \"a\": \"An answer.\"}\n");
    }
    const QString project = m_dir.filePath(QStringLiteral("many.rubrics"));
    {
        auto store = store::ProjectStore::create(project);
        QVERIFY(store.ok());
        import::ImportConfig config;
        config.files = {file};
        config.format = import::Format::Jsonl;
        config.map = {QStringLiteral("q"), QStringLiteral("a"), {}, {}};
        QVERIFY(import::importFiles(*store.value(), config).ok());
    }
    PromptNavigator nav;
    nav.resize(320, 600);
    nav.show();
    QVERIFY(QTest::qWaitForWindowExposed(&nav));
    nav.setProject(project);
    QTRY_COMPARE_WITH_TIMEOUT(nav.model()->rowCount(), PromptListModel::kDefaultPageSize,
                              kTimeoutMs);
    QCOMPARE(nav.model()->matchCount(), qint64(prompts));
    while (nav.model()->rowCount() < prompts) {
        const int before = nav.model()->rowCount();
        nav.view()->scrollToBottom();
        QTRY_VERIFY_WITH_TIMEOUT(nav.model()->rowCount() > before, kTimeoutMs);
    }
    QCOMPARE(nav.model()->rowCount(), prompts);
    QCOMPARE(nav.model()->index(prompts - 1).data(PromptTextRole).toString(),
             QStringLiteral("Question number %1").arg(prompts - 1));
}

void TestMainWindow::demo_showsEveryView()
{
    MainWindow window;
    window.setLayoutPersistent(false);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy computed(window.analysisPanel(), &AnalysisPanel::computed);
    openAndWait(window, m_project);
    PromptNavigator *nav = window.navigator();
    QTRY_VERIFY_WITH_TIMEOUT(nav->currentPromptId() != 0, kTimeoutMs);
    const qint64 first = nav->model()->promptIdAt(0);
    QCOMPARE(nav->currentPromptId(), first);

    // Two hand-graded runs, the RTD history of the first prompt, gold labels, overrides.
    {
        auto db = store::Database::open(m_project, store::Database::Mode::ReadOnly);
        QVERIFY(db.ok());
        QCOMPARE(db->scalar("SELECT count(*) FROM judge_runs").value(), 2);
        auto rounds = authoring::listRounds(db.value(), first);
        QVERIFY(rounds.ok());
        QCOMPARE(rounds->size(), 2);
        auto versions = rubric::listVersions(db.value(), first);
        QCOMPARE(versions->size(), m_demo[0].rubricVersions);
        QCOMPARE(versions->at(1).origin, QStringLiteral("rtd"));
        QCOMPARE(versions->at(2).origin, QStringLiteral("rtd"));
        QCOMPARE(rounds->at(0).versionId, versions->at(1).id);
        QCOMPARE(rounds->at(1).previousVersionId, versions->at(1).id);
        QVERIFY(db->scalar("SELECT count(*) FROM preferences").value() >= 10);
        QVERIFY(db->scalar("SELECT count(*) FROM overrides").value() > 0);
        auto version = store::readMeta(db.value(), "demo_content_version");
        QVERIFY(version.ok() && version.value());
        QCOMPARE(version.value()->toInt(), DemoProject::kContentVersion);
    }

    // Analysis: tail accuracy has pairs in the high and the low region, judge agreement compares
    // the two runs, the over-optimisation page has curves and the timeline has the rounds.
    AnalysisPanel *analysis = window.analysisPanel();
    window.tabs()->setCurrentWidget(analysis);
    QTRY_VERIFY_WITH_TIMEOUT(computed.count() >= 1 && !analysis->isComputing(), kTimeoutMs);
    const ChartSpec &tail = analysis->page(AnalysisPanel::TailAccuracy)->charts().at(0)->spec();
    QSet<double> regions;
    for (const ChartPoint &p : tail.series.value(0).points)
        regions.insert(p.x);
    QVERIFY2(regions.contains(0) && regions.contains(1),
             "no tail accuracy for the high or the low region");
    const MetricTable &reliability =
        analysis->page(AnalysisPanel::Reliability)->section().tables.at(0);
    QVERIFY(reliability.rows.at(0).at(5).isValid()); // the run compared with
    QVERIFY(reliability.rows.at(0).at(6).isValid()); // their agreement
    // The second reader differs from the first on a few cells.
    QVERIFY(reliability.rows.at(0).at(6).toDouble() < 1.0);
    QCOMPARE(analysis->page(AnalysisPanel::OverOptimisation)->charts().at(1)->spec().series.size(),
             2);
    QVERIFY(!analysis->page(AnalysisPanel::Timeline)->charts().at(0)->spec().isEmpty());

    // The top-k spread chart stays on the reward scale (the demo's rewards lie in [0, 1]).
    ChartPanel *spread = analysis->page(AnalysisPanel::Separation)->charts().at(1);
    auto *x = qobject_cast<QValueAxis *>(spread->chart()->axes(Qt::Horizontal).value(0));
    auto *y = qobject_cast<QValueAxis *>(spread->chart()->axes(Qt::Vertical).value(0));
    QVERIFY(x && y);
    QVERIFY2(x->min() >= 0 && x->max() <= 1,
             qPrintable(QStringLiteral("%1..%2").arg(x->min()).arg(x->max())));
    QVERIFY2(y->min() >= 0 && y->max() <= 1,
             qPrintable(QStringLiteral("%1..%2").arg(y->min()).arg(y->max())));
    for (const ChartSeries &s : spread->spec().series)
        for (const ChartPoint &p : s.points) {
            QVERIFY(p.x >= x->min() && p.x <= x->max());
            QVERIFY(p.y >= y->min() && p.y <= y->max());
        }

    // RTD without a provider: the recorded rounds, the last one's pair and the change it made.
    RtdPanel *rtd = window.rtdPanel();
    window.tabs()->setCurrentWidget(rtd);
    QTRY_COMPARE_WITH_TIMEOUT(rtd->roundModel()->rowCount(), 2, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(rtd->proposalModel()->isSavedRound(), kTimeoutMs);
    QVERIFY(!rtd->hasProposal());
    QVERIFY(rtd->proposalModel()->changes() > 0);
    QVERIFY2(rtd->proposalLabel()->text().contains(QLatin1String("Round 2")),
             qPrintable(rtd->proposalLabel()->text()));
    QVERIFY(rtd->noProviderLabel()->isVisible());
    QString secondPairA;
    for (const test::DemoResponse &r : m_demo[0].responses)
        if (r.generator == QLatin1String("open-70b"))
            secondPairA = r.text;
    QTRY_COMPARE_WITH_TIMEOUT(rtd->readerA()->markdown(), secondPairA, kTimeoutMs);
    // Picking round 1 shows its pair and its own change.
    const QRect round1 =
        rtd->roundView()->visualRect(rtd->roundModel()->index(0, RtdRoundModel::PairColumn));
    QTest::mouseClick(rtd->roundView()->viewport(), Qt::LeftButton, {}, round1.center());
    QTRY_VERIFY_WITH_TIMEOUT(rtd->proposalLabel()->text().contains(QLatin1String("Round 1")),
                             kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(rtd->readerA()->markdown(), m_demo[0].responses.at(0).text,
                              kTimeoutMs);
}

void TestMainWindow::demo_olderContentIsRebuilt()
{
    // A demo built by an older studio (no content version, only the sources) is replaced by
    // the current one when opened as the demo; a current one is left as it is.
    const QString path = m_dir.filePath(QStringLiteral("old-demo.rubrics"));
    QVERIFY(DemoProject::build(path, DemoProject::Verdicts::None).ok());
    {
        auto store = store::ProjectStore::open(path);
        QVERIFY(store.ok());
        QVERIFY(store.value()
                    ->writer()
                    .write([](store::Database &db) { return db.exec("DELETE FROM meta"); })
                    .ok());
    }
    QVERIFY(!DemoProject::isCurrent(path));
    auto rebuilt = DemoProject::ensure(path);
    QVERIFY2(rebuilt.ok(), qPrintable(rebuilt.ok() ? QString() : rebuilt.error().toString()));
    QVERIFY(rebuilt.value());
    QVERIFY(DemoProject::isCurrent(path));
    {
        auto db = store::Database::open(path, store::Database::Mode::ReadOnly);
        QCOMPARE(db->scalar("SELECT count(*) FROM judge_runs").value(), 2);
    }
    auto again = DemoProject::ensure(path);
    QVERIFY(again.ok());
    QVERIFY(!again.value());
}

void TestMainWindow::switchingTabs_keepsTheDockWidths()
{
    MainWindow window; // the default layout: nothing restored
    window.setLayoutPersistent(false);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy computed(window.analysisPanel(), &AnalysisPanel::computed);
    openAndWait(window, m_project);
    QTRY_VERIFY_WITH_TIMEOUT(window.responsesPanel()->isSettled() &&
                                 window.responsesPanel()->promptId() != 0,
                             kTimeoutMs);
    auto *prompts = window.findChild<QDockWidget *>(QStringLiteral("promptsDock"));
    auto *inspector = window.findChild<QDockWidget *>(QStringLiteral("inspectorDock"));
    QVERIFY(prompts && inspector);
    // Docks move on posted layout requests (animated): give them time before looking.
    auto settle = [] {
        for (int i = 0; i < 3; ++i) {
            QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
            QTest::qWait(100);
        }
    };
    settle();
    const int promptsWidth = prompts->width();
    const int inspectorWidth = inspector->width();
    // The default layout's widths (MainWindow::createDocks): no page is too wide for them.
    QVERIFY2(qAbs(promptsWidth - 330) <= 8 && qAbs(inspectorWidth - 380) <= 8,
             qPrintable(
                 QStringLiteral("prompts %1, inspector %2").arg(promptsWidth).arg(inspectorWidth)));

    QTabWidget *tabs = window.tabs();
    auto check = [&](const QString &where) {
        settle();
        QVERIFY2(prompts->width() == promptsWidth && inspector->width() == inspectorWidth,
                 qPrintable(QStringLiteral("%1: prompts %2 → %3, inspector %4 → %5")
                                .arg(where)
                                .arg(promptsWidth)
                                .arg(prompts->width())
                                .arg(inspectorWidth)
                                .arg(inspector->width())));
    };
    for (int i = 0; i < tabs->count(); ++i) {
        tabs->setCurrentIndex(i);
        if (tabs->currentWidget() == window.analysisPanel())
            QTRY_VERIFY_WITH_TIMEOUT(
                computed.count() >= 1 && !window.analysisPanel()->isComputing(), kTimeoutMs);
        QTest::qWait(100); // charts and late-arriving lists lay themselves out
        check(tabs->tabText(i));
    }
    // Every Analysis family too: each page has charts of its own.
    tabs->setCurrentWidget(window.analysisPanel());
    for (int f = 0; f < AnalysisPanel::FamilyCount; ++f) {
        window.analysisPanel()->showFamily(AnalysisPanel::Family(f));
        check(QStringLiteral("Analysis family %1").arg(f));
    }
    tabs->setCurrentIndex(0);
    check(QStringLiteral("back to %1").arg(tabs->tabText(0)));
    QTest::qWait(500);
    check(QStringLiteral("a moment later"));
}

void TestMainWindow::missingVerdictSetting_changesRewardsAndIsRemembered()
{
    // A copy whose third prompt gets a criterion no run has graded: a missing verdict.
    const QString copy = m_dir.filePath(QStringLiteral("missing.rubrics"));
    QFile::remove(copy);
    QVERIFY(QFile::copy(m_project, copy));
    const test::DemoPrompt &demo = m_demo[2];
    double weights = 0;
    {
        auto store = store::ProjectStore::open(copy);
        QVERIFY(store.ok());
        auto db = store::Database::open(copy, store::Database::Mode::ReadOnly);
        auto promptId = db->prepare("SELECT id FROM prompts WHERE text = ?1");
        promptId->bind(1, demo.text);
        QVERIFY(promptId->step().value());
        auto head = rubric::loadHead(db.value(), promptId->columnInt(0));
        QVERIFY(head.ok());
        QList<rubric::CriterionDraft> drafts = rubric::toDrafts(head->criteria);
        for (const auto &d : drafts)
            weights += d.weight;
        drafts.push_back({{},
                          QStringLiteral("The reply says when the sender will read email again."),
                          2,
                          QStringLiteral("content"),
                          {}});
        QVERIFY(rubric::saveVersion(*store.value(), promptId->columnInt(0),
                                    {QStringLiteral("manual"), {}}, drafts)
                    .ok());
    }
    MainWindow window;
    window.setLayoutPersistent(false);
    window.show();
    openAndWait(window, copy);
    PromptNavigator *nav = window.navigator();
    nav->selectRow(2);
    ResponsesPanel *responses = window.responsesPanel();
    QTRY_VERIFY_WITH_TIMEOUT(
        responses->isSettled() && responses->promptId() == nav->model()->promptIdAt(2), kTimeoutMs);
    auto rewardOf = [&](const QString &generator) {
        const int row = proxyRowOf(window, generator);
        return row < 0 ? -1.0 : responses->proxy()->index(row, 0).data(RewardRole).toDouble();
    };
    // frontier-large meets every graded criterion: the missing one costs it its weight.
    QCOMPARE(MissingVerdictSetting::instance()->policy(), judge::MissingPolicy::CountAsNo);
    QTRY_VERIFY_WITH_TIMEOUT(
        qAbs(rewardOf(QStringLiteral("frontier-large")) - weights / (weights + 2)) < 1e-9,
        kTimeoutMs);

    QAction *leaveOut =
        window.menuBar()->findChild<QAction *>(QStringLiteral("missingVerdicts_drop"));
    QVERIFY(leaveOut);
    QSignalSpy computed(window.analysisPanel(), &AnalysisPanel::computed);
    leaveOut->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(qAbs(rewardOf(QStringLiteral("frontier-large")) - 1.0) < 1e-9,
                             kTimeoutMs);
    QCOMPARE(QSettings().value(QStringLiteral("scoring/missingVerdicts")).toString(),
             QStringLiteral("drop"));
    QTRY_VERIFY_WITH_TIMEOUT(computed.count() >= 1 && !window.analysisPanel()->isComputing(),
                             kTimeoutMs);
    QVERIFY2(window.analysisPanel()->statusLabel()->text().contains(QLatin1String("left out")),
             qPrintable(window.analysisPanel()->statusLabel()->text()));

    // The inspector's breakdown adds up the same way.
    const int row = proxyRowOf(window, QStringLiteral("frontier-large"));
    responses->table()->setCurrentIndex(responses->proxy()->index(row, 0));
    QTRY_VERIFY_WITH_TIMEOUT(
        window.inspector()->breakdownSummary()->text().contains(QLatin1String("left out")),
        kTimeoutMs);

    // Remembered: a new window reads the same way.
    MainWindow again;
    again.setLayoutPersistent(false);
    QCOMPARE(MissingVerdictSetting::instance()->policy(), judge::MissingPolicy::Drop);
    QVERIFY(
        again.menuBar()->findChild<QAction *>(QStringLiteral("missingVerdicts_drop"))->isChecked());
    window.menuBar()->findChild<QAction *>(QStringLiteral("missingVerdicts_no"))->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(
        qAbs(rewardOf(QStringLiteral("frontier-large")) - weights / (weights + 2)) < 1e-9,
        kTimeoutMs);
}

void TestMainWindow::screenshots()
{
    // With RS_SCREENSHOT_DIR set, pictures of the demo as a user first sees it, default layout:
    // screenshot-analysis.png (docs), and for a look at the other views the demo fills
    // demo-{separation,reliability,overoptimisation,timeline,rtd}.png and the new dialogs,
    // demo-batches.png, demo-curves-error.png and demo-curves.png.
    const QString outDir = qEnvironmentVariable("RS_SCREENSHOT_DIR");
    if (outDir.isEmpty())
        QSKIP("set RS_SCREENSHOT_DIR to save pictures of the demo");
    const QDir dir(outDir);
    MainWindow window;
    window.setLayoutPersistent(false);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy computed(window.analysisPanel(), &AnalysisPanel::computed);
    openAndWait(window, m_project);
    QTRY_VERIFY_WITH_TIMEOUT(window.responsesPanel()->isSettled() &&
                                 window.responsesPanel()->promptId() != 0,
                             kTimeoutMs);
    AnalysisPanel *analysis = window.analysisPanel();
    window.tabs()->setCurrentWidget(analysis);
    QTRY_VERIFY_WITH_TIMEOUT(computed.count() >= 1 && !analysis->isComputing(), kTimeoutMs);
    auto save = [&](const QString &name) {
        QTest::qWait(300); // charts lay themselves out on posted events
        QVERIFY(window.grab().save(dir.filePath(name)));
    };
    save(QStringLiteral("screenshot-analysis.png"));
    const std::pair<AnalysisPanel::Family, const char *> families[] = {
        {AnalysisPanel::Separation, "demo-separation.png"},
        {AnalysisPanel::Reliability, "demo-reliability.png"},
        {AnalysisPanel::OverOptimisation, "demo-overoptimisation.png"},
        {AnalysisPanel::Timeline, "demo-timeline.png"}};
    for (const auto &[family, name] : families) {
        analysis->showFamily(family);
        save(QLatin1String(name));
    }
    window.tabs()->setCurrentWidget(window.rtdPanel());
    QTRY_VERIFY_WITH_TIMEOUT(window.rtdPanel()->proposalModel()->isSavedRound(), kTimeoutMs);
    save(QStringLiteral("demo-rtd.png"));

    BatchDialog *batches = window.judge()->showBatchDialog();
    QVERIFY(batches);
    QTest::qWait(300);
    QVERIFY(batches->grab().save(dir.filePath(QStringLiteral("demo-batches.png"))));
    batches->close();
    TrainingCurvesDialog *curves = window.importTrainingCurves();
    QVERIFY(curves);
    QSignalSpy previewed(curves, &TrainingCurvesDialog::previewed);
    const QString bad = m_dir.filePath(QStringLiteral("curves-typo.csv"));
    {
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("arm,step,win_rate,rubric_reward\nrefined,0,0.50,0.45\nrefined,50,0.56,O.52\n");
    }
    curves->setFiles({bad});
    QTRY_COMPARE_WITH_TIMEOUT(previewed.count(), 1, kTimeoutMs);
    QTest::qWait(200);
    QVERIFY(curves->grab().save(dir.filePath(QStringLiteral("demo-curves-error.png"))));
    curves->setFiles({DemoProject::trainingCurvesFile()});
    QTRY_COMPARE_WITH_TIMEOUT(previewed.count(), 2, kTimeoutMs);
    QTest::qWait(200);
    QVERIFY(curves->grab().save(dir.filePath(QStringLiteral("demo-curves.png"))));
    curves->close();
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
