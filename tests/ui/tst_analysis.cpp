// The Analysis tab over a judged demo project with gold preferences, offscreen: every metric
// family shows what rs::analytics computes for the same project (series, point counts,
// values, titled axes), the current-prompt scope keeps only that prompt's points, a second
// run adds its series side by side, clicking a chart point opens its response in the
// Responses tab, a new gold label recomputes the charts, the theory explorer draws the four
// mappings, and the report holds the tables (HTML) and prints (PDF). With RS_SCREENSHOT_DIR
// set it saves docs/screenshot-theory.png.

#include "analysis/analysispage.h"
#include "analysis/analysispanel.h"
#include "analytics/projectmetrics.h"
#include "analytics/theory.h"
#include "analysis/chartpanel.h"
#include "judge/preferences.h"
#include "judgedproject.h"
#include "mainwindow.h"
#include "project/projectsession.h"
#include "responses/responsespanel.h"
#include "analysis/separationview.h"
#include "analysis/theoryview.h"

#include <QAbstractItemModelTester>
#include <QBarSet>
#include <QDockWidget>
#include <QChart>
#include <QChartView>
#include <QLabel>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QValueAxis>

#include <cmath>

using namespace rs;
using namespace rs::ui;

namespace {
constexpr int kTimeoutMs = 60000;

struct Row {
    qint64 id = 0;
    qint64 prompt = 0;
    QString tier;
    qint64 length = 0;
};

QList<Row> responses(const QString &path)
{
    QList<Row> out;
    auto db = store::Database::open(path, store::Database::Mode::ReadOnly);
    if (!db)
        return out;
    auto st = db->prepare("SELECT id, prompt_id, coalesce(tier,''), length(text) FROM responses "
                          "ORDER BY prompt_id, id");
    for (auto more = st->step(); more && more.value(); more = st->step())
        out.append({st->columnInt(0), st->columnInt(1), st->columnText(2), st->columnInt(3)});
    return out;
}

/// Gold labels the way a human reader might give them: within a tier the longer answer
/// wins; across tiers the better tier wins. Deterministic, so the metrics are too.
QString addGold(const QString &path)
{
    const QList<Row> rows = responses(path);
    auto store = store::ProjectStore::open(path);
    if (!store)
        return store.error().toString();
    for (int i = 0; i < rows.size(); ++i)
        for (int j = i + 1; j < rows.size(); ++j) {
            const Row &a = rows[i];
            const Row &b = rows[j];
            if (a.prompt != b.prompt)
                continue;
            const bool sameTier = a.tier == b.tier;
            const bool tierPair = (a.tier == QStringLiteral("great") && b.tier == QStringLiteral("base")) ||
                                  (a.tier == QStringLiteral("base") && b.tier == QStringLiteral("great"));
            if (!sameTier && !tierPair)
                continue;
            judge::Preference p;
            p.promptId = a.prompt;
            p.responseA = a.id;
            p.responseB = b.id;
            if (sameTier)
                p.preference = b.length > a.length ? 1.0 : 0.0;
            else
                p.preference = b.tier == QStringLiteral("great") ? 1.0 : 0.0;
            p.source = QStringLiteral("import");
            if (auto id = judge::recordPreference(*store.value(), p); !id)
                return id.error().toString();
        }
    return {};
}

} // namespace

class TestAnalysis final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void families_showWhatTheAnalyticsCompute();
    void scopeCurrentPrompt_keepsOnlyItsPoints();
    void compareRun_addsRunBSideBySide();
    void clickingAResponsePoint_opensItInResponses();
    void newGoldLabel_recomputesTheCharts();
    void theory_drawsTheFourMappingsOverBeta();
    void report_holdsTablesAndPrintsPdf();
    void tables_passTheModelTester();
    void screenshots();

private:
    void open(MainWindow &window, const QString &path);
    analytics::ProjectMetrics expected(qint64 runId = 0) const;

    QTemporaryDir m_dir;
    QString m_project;
    test::JudgedProject m_judged;
};

void TestAnalysis::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("RubricStudioTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_analysis"));
    QSettings().clear();
    QVERIFY(m_dir.isValid());
    m_project = m_dir.filePath(QStringLiteral("judged.rubrics"));
    m_judged = test::buildJudgedDemo(m_project);
    QVERIFY2(m_judged.error.isEmpty(), qPrintable(m_judged.error));
    const QString gold = addGold(m_project);
    QVERIFY2(gold.isEmpty(), qPrintable(gold));
    auto db = store::Database::open(m_project, store::Database::Mode::ReadOnly);
    auto probe = analytics::loadMetricData(db.value(), {});
    if (!probe)
        QFAIL(qPrintable(probe.error().toString()));
}

void TestAnalysis::open(MainWindow &window, const QString &path)
{
    window.setLayoutPersistent(false);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy computed(window.analysisPanel(), &AnalysisPanel::computed);
    window.session()->openProject(path);
    QTRY_VERIFY_WITH_TIMEOUT(computed.count() >= 1 && !window.analysisPanel()->isComputing(),
                             kTimeoutMs);
    QVERIFY2(window.analysisPanel()->statusLabel()->text().startsWith(QStringLiteral("Run ")),
             qPrintable(window.analysisPanel()->statusLabel()->text()));
}

analytics::ProjectMetrics TestAnalysis::expected(qint64 runId) const
{
    auto db = store::Database::open(m_project, store::Database::Mode::ReadOnly);
    analytics::MetricOptions options;
    options.runId = runId;
    // The panel compares the demo's own best tiers (great vs good).
    options.tierA = QStringLiteral("great");
    options.tierB = QStringLiteral("good");
    options.lowTiers.append(QStringLiteral("base"));
    auto m = analytics::computeProjectMetrics(db.value(), options);
    return m ? m.value() : analytics::ProjectMetrics{};
}

void TestAnalysis::families_showWhatTheAnalyticsCompute()
{
    MainWindow window;
    open(window, m_project);
    const analytics::ProjectMetrics m = expected();
    QCOMPARE(m.runId, m_judged.runId);
    AnalysisPanel *panel = window.analysisPanel();
    QCOMPARE(window.tabs()->tabText(window.tabs()->indexOf(panel)), QStringLiteral("Analysis"));

    // Tail accuracy: one bar per region with the computed shares; every pair a point.
    ChartPanel *bars = panel->page(AnalysisPanel::TailAccuracy)->charts().at(0);
    QCOMPARE(bars->spec().series.size(), 1);
    QCOMPARE(bars->spec().series.at(0).name, QStringLiteral("run %1").arg(m_judged.runId));
    QVERIFY(m.tail.all.has_value());
    for (const ChartPoint &p : bars->spec().series.at(0).points) {
        const auto &e = p.x == 0 ? m.tail.high : p.x == 1 ? m.tail.low : m.tail.all;
        QVERIFY(e.has_value());
        QCOMPARE(p.y, e->value);
    }
    auto *y = qobject_cast<QValueAxis *>(bars->chart()->axes(Qt::Vertical).value(0));
    QCOMPARE(y->titleText(), QStringLiteral("accuracy"));
    QCOMPARE(y->max(), 1.0);
    ChartPanel *pairs = panel->page(AnalysisPanel::TailAccuracy)->charts().at(1);
    qsizetype plotted = 0;
    for (const ChartSeries &s : pairs->spec().series)
        plotted += s.points.size();
    QCOMPARE(plotted, qsizetype(m.tail.pairs.size()));
    QVERIFY(plotted > 0);

    // Separation: one histogram series per tier, ten bins each.
    ChartPanel *dist = panel->page(AnalysisPanel::Separation)->charts().at(0);
    QStringList tiers;
    for (const ChartSeries &s : dist->spec().series) {
        tiers.append(s.name);
        QCOMPARE(s.points.size(), SeparationView::kBins);
    }
    QCOMPARE(tiers, (QStringList{QStringLiteral("base"), QStringLiteral("good"), QStringLiteral("great")}));
    QCOMPARE(dist->chart()->series().size(), 1); // one QBarSeries holding three sets

    // Style confound: one point per scored response, the correlation in the note.
    ChartPanel *style = panel->page(AnalysisPanel::StyleConfound)->charts().at(0);
    QCOMPARE(style->spec().series.at(0).points.size(), qsizetype(m.style.rewardPoints.size()));
    QVERIFY(!m.style.rewardPoints.empty());
    QVERIFY(style->spec().note.contains(QStringLiteral("ρ = %1").arg(m.style.rewardLength->rho, 0, 'f', 3)));
    QCOMPARE(qobject_cast<QValueAxis *>(style->chart()->axes(Qt::Horizontal).value(0))->titleText(),
             QStringLiteral("length (characters)"));

    // Reliability: three gradings per cell in the latest run give a flip rate.
    const MetricTable &reliability = panel->page(AnalysisPanel::Reliability)->section().tables.at(0);
    QVERIFY(m.reliability.flipRate.has_value());
    QCOMPARE(reliability.rows.at(0).at(1).toDouble(), m.reliability.flipRate->value);

    // Discrimination: a row per criterion of every current rubric.
    QCOMPARE(panel->page(AnalysisPanel::Discrimination)->section().tables.at(0).rows.size(),
             qsizetype(m.discrimination.size()));
    // Over-optimisation: best-of-N by rubric, by gold and at random, N = 1..
    const ChartSpec &bon = panel->page(AnalysisPanel::OverOptimisation)->charts().at(0)->spec();
    QCOMPARE(bon.series.size(), 3);
    QCOMPARE(bon.series.at(0).points.size(), qsizetype(m.bestOfN.size()));
}

void TestAnalysis::scopeCurrentPrompt_keepsOnlyItsPoints()
{
    MainWindow window;
    open(window, m_project);
    AnalysisPanel *panel = window.analysisPanel();
    const qint64 prompt = responses(m_project).at(0).prompt;
    panel->setCurrentPrompt(prompt);
    QSignalSpy computed(panel, &AnalysisPanel::computed);
    panel->setWholeProject(false);
    QTRY_VERIFY_WITH_TIMEOUT(computed.count() >= 1 && !panel->isComputing(), kTimeoutMs);
    const ChartSpec &style = panel->page(AnalysisPanel::StyleConfound)->charts().at(0)->spec();
    QVERIFY(!style.series.at(0).points.isEmpty());
    for (const ChartPoint &p : style.series.at(0).points)
        QCOMPARE(p.promptId, prompt);
    qsizetype ofPrompt = 0;
    for (const analytics::StylePoint &p : expected().style.rewardPoints)
        ofPrompt += p.promptId == prompt ? 1 : 0;
    QCOMPARE(style.series.at(0).points.size(), ofPrompt);
}

void TestAnalysis::compareRun_addsRunBSideBySide()
{
    MainWindow window;
    open(window, m_project);
    AnalysisPanel *panel = window.analysisPanel();
    QSignalSpy computed(panel, &AnalysisPanel::computed);
    panel->setCompareRun(m_judged.jointRunId);
    QTRY_VERIFY_WITH_TIMEOUT(computed.count() >= 1 && !panel->isComputing(), kTimeoutMs);
    const ChartSpec &bars = panel->page(AnalysisPanel::TailAccuracy)->charts().at(0)->spec();
    QCOMPARE(bars.series.size(), 2);
    QCOMPARE(bars.series.at(1).name, QStringLiteral("run %1").arg(m_judged.jointRunId));
    const analytics::ProjectMetrics b = expected(m_judged.jointRunId);
    for (const ChartPoint &p : bars.series.at(1).points)
        if (p.x == 2)
            QCOMPARE(p.y, b.tail.all->value);
    // Run-vs-run agreement between the two runs is in the reliability table.
    const MetricTable &rel = panel->page(AnalysisPanel::Reliability)->section().tables.at(0);
    QCOMPARE(rel.rows.size(), 2);
    QCOMPARE(rel.rows.at(0).at(5).toLongLong(), m_judged.jointRunId);
    QVERIFY(rel.rows.at(0).at(6).isValid());
}

void TestAnalysis::clickingAResponsePoint_opensItInResponses()
{
    MainWindow window;
    window.resize(MainWindow::kDefaultSize);
    open(window, m_project);
    AnalysisPanel *panel = window.analysisPanel();
    window.tabs()->setCurrentWidget(panel);
    panel->showFamily(AnalysisPanel::StyleConfound);
    ChartPanel *style = panel->page(AnalysisPanel::StyleConfound)->charts().at(0);
    QTRY_VERIFY(style->isVisible() && style->chartView()->width() > 100);
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    // The last prompt's response: not the one the window opened on.
    const QList<ChartPoint> &points = style->spec().series.at(0).points;
    int pick = int(points.size()) - 1;
    const ChartPoint target = points.at(pick);
    QSignalSpy activated(panel, &AnalysisPanel::pointActivated);
    const QPoint at = style->viewportPosition(0, pick);
    QTest::mouseClick(style->chartView()->viewport(), Qt::LeftButton, {}, at);
    QTRY_COMPARE(activated.count(), 1);
    // Points can overlap: the click opens the one nearest to the cursor, which is what it says.
    const qint64 response = activated.at(0).at(1).toLongLong();
    const qint64 prompt = activated.at(0).at(0).toLongLong();
    QVERIFY(response != 0 && prompt != 0);
    Q_UNUSED(target);
    QCOMPARE(window.tabs()->currentWidget(), window.responsesPanel());
    QTRY_COMPARE_WITH_TIMEOUT(window.responsesPanel()->promptId(), prompt, kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(window.responsesPanel()->currentResponseId(), response, kTimeoutMs);
}

void TestAnalysis::newGoldLabel_recomputesTheCharts()
{
    const QString path = test::copyProject(m_project, m_dir.filePath(QStringLiteral("gold.rubrics")));
    MainWindow window;
    open(window, path);
    AnalysisPanel *panel = window.analysisPanel();
    const qsizetype before = panel->page(AnalysisPanel::TailAccuracy)->charts().at(1)->spec().series.isEmpty()
                                 ? 0 : [&] {
                                       qsizetype n = 0;
                                       for (const ChartSeries &s : panel->page(AnalysisPanel::TailAccuracy)->charts().at(1)->spec().series)
                                           n += s.points.size();
                                       return n;
                                   }();
    // A gold label across tiers the fixture left out (good vs base), written through the
    // session's store as the Compare tab does.
    const QList<Row> rows = responses(path);
    Row good, base;
    for (const Row &r : rows) {
        if (r.prompt != rows.at(0).prompt)
            continue;
        if (r.tier == QStringLiteral("good") && !good.id)
            good = r;
        if (r.tier == QStringLiteral("base") && !base.id)
            base = r;
    }
    QVERIFY(good.id && base.id);
    judge::Preference p{good.prompt, base.id, good.id, 1.0, QStringLiteral("human"), {}};
    QVERIFY(judge::recordPreference(*window.session()->store(), p));
    QSignalSpy computed(panel, &AnalysisPanel::computed);
    window.session()->notifyChanged();
    window.session()->notifyChanged(); // two changes in a row: one computation
    QTRY_VERIFY_WITH_TIMEOUT(computed.count() >= 1 && !panel->isComputing(), kTimeoutMs);
    QCOMPARE(computed.count(), 1);
    qsizetype after = 0;
    for (const ChartSeries &s : panel->page(AnalysisPanel::TailAccuracy)->charts().at(1)->spec().series)
        after += s.points.size();
    QCOMPARE(after, before + 1);
}

void TestAnalysis::theory_drawsTheFourMappingsOverBeta()
{
    AnalysisPanel panel;
    QSignalSpy done(&panel, &AnalysisPanel::theoryComputed);
    QTRY_VERIFY(done.count() >= 1);
    const ReportSection &s = panel.page(AnalysisPanel::Theory)->section();
    QCOMPARE(s.charts.size(), 4);
    const ChartSpec &win = s.charts.at(0);
    QCOMPARE(win.series.size(), 4);
    QStringList names;
    for (const ChartSeries &series : win.series) {
        names.append(series.name);
        QCOMPARE(series.points.size(), qsizetype(analytics::defaultBetas().size()));
    }
    QCOMPARE(names, (QStringList{QStringLiteral("reversed"), QStringLiteral("worst:0.1"),
                                 QStringLiteral("top:0.1"), QStringLiteral("correct")}));
    QVERIFY(win.logX);
    // Correct mapping follows the closed form e/(e-1) - beta.
    for (const ChartPoint &p : win.series.at(3).points) {
        const double e = std::exp(1 / p.x);
        const double closed = std::isinf(e) ? 1 - p.x : e / (e - 1) - p.x;
        QVERIFY2(std::abs(p.y - closed) < 1e-4, qPrintable(QString::number(p.x)));
    }
    // Top c wrong costs more than worst c wrong at moderate beta.
    const MetricTable &table = s.tables.at(0);
    QCOMPARE(table.rows.size(), 4);
    QVERIFY(table.rows.at(2).at(1).toDouble() < table.rows.at(1).at(1).toDouble());

    done.clear();
    panel.setTheory(0.3, 0.5);
    QTRY_VERIFY(done.count() >= 1);
    QCOMPARE(panel.page(AnalysisPanel::Theory)->section().charts.at(0).series.at(2).name,
             QStringLiteral("top:0.3"));
    // The widget draws it: four line series on a log axis.
    QCOMPARE(panel.page(AnalysisPanel::Theory)->charts().at(0)->chart()->series().size(), 4);
}

void TestAnalysis::report_holdsTablesAndPrintsPdf()
{
    MainWindow window;
    open(window, m_project);
    AnalysisPanel *panel = window.analysisPanel();
    QTRY_VERIFY(!panel->page(AnalysisPanel::Theory)->section().title.isEmpty());
    const QString html = panel->report().html();
    for (const char *heading : {"Tail accuracy", "Top-tier separation", "Per-criterion discrimination",
                                "Style confound", "Judge reliability", "Over-optimisation",
                                "Refinement timeline", "Theory explorer"})
        QVERIFY2(html.contains(QStringLiteral("<h2>%1</h2>").arg(QLatin1String(heading))), heading);
    const analytics::ProjectMetrics m = expected();
    QVERIFY(html.contains(QStringLiteral("<td align=\"right\">%1</td>")
                              .arg(m.tail.all->value, 0, 'f', 3)));
    QVERIFY(html.count(QStringLiteral("<img src=\"data:image/png;base64,")) >= 10);

    const QString htmlPath = m_dir.filePath(QStringLiteral("report.html"));
    QVERIFY(panel->exportReport(htmlPath));
    QVERIFY(QFileInfo(htmlPath).size() > 50000);
    const QString pdfPath = m_dir.filePath(QStringLiteral("report.pdf"));
    QVERIFY(panel->exportReport(pdfPath));
    QFile pdf(pdfPath);
    QVERIFY(pdf.open(QIODevice::ReadOnly));
    QVERIFY(pdf.read(4) == "%PDF");
    QVERIFY(pdf.size() > 20000);
}

void TestAnalysis::tables_passTheModelTester()
{
    MainWindow window;
    open(window, m_project);
    AnalysisPage *page = window.analysisPanel()->page(AnalysisPanel::Discrimination);
    QTableView *view = page->tables().at(0);
    QAbstractItemModelTester tester(view->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(view->model()->rowCount() > 0);
    view->sortByColumn(4, Qt::DescendingOrder);
    QSignalSpy computed(window.analysisPanel(), &AnalysisPanel::computed);
    window.analysisPanel()->recompute();
    QTRY_VERIFY_WITH_TIMEOUT(computed.count() >= 1, kTimeoutMs);
    QVERIFY(view->model()->rowCount() > 0);
}

void TestAnalysis::screenshots()
{
    const QString outDir = qEnvironmentVariable("RS_SCREENSHOT_DIR");
    if (outDir.isEmpty())
        QSKIP("set RS_SCREENSHOT_DIR to save pictures of the Analysis tab");
    MainWindow window;
    window.resize(MainWindow::kDefaultSize);
    open(window, m_project);
    AnalysisPanel *panel = window.analysisPanel();
    window.tabs()->setCurrentWidget(panel);
    // Charts want the room: the inspector and jobs docks step aside, as a user would do.
    for (QDockWidget *dock : window.findChildren<QDockWidget *>())
        if (dock->objectName() != QStringLiteral("promptsDock"))
            dock->hide();
    // The Analysis tab over the demo as shipped (screenshot-analysis.png) is tst_mainwindow's.
    panel->showFamily(AnalysisPanel::Theory);
    QTest::qWait(200);
    QVERIFY(window.grab().save(QDir(outDir).filePath(QStringLiteral("screenshot-theory.png"))));
}

QTEST_MAIN(TestAnalysis)
#include "tst_analysis.moc"
