// Analysis › Import Training Curves over the demo, offscreen: a malformed CSV shows FILE:LINE
// and cannot be imported; a good one previews its arms, imports them into the project, and the
// over-optimisation chart draws them once the Analysis tab has recomputed.

#include "analysis/analysispage.h"
#include "analysis/analysispanel.h"
#include "analysis/chartpanel.h"
#include "analysis/metrictablemodel.h"
#include "analysis/trainingcurvesdialog.h"
#include "common/roles.h"
#include "mainwindow.h"
#include "project/demoproject.h"
#include "project/projectsession.h"
#include "store/database.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace rs;
using namespace rs::ui;

namespace {
constexpr int kTimeoutMs = 30000;

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &text)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (f.open(QIODevice::WriteOnly))
        f.write(text);
    return path;
}

} // namespace

class TestCurvesDialog final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void malformedFile_showsFileAndLine_andImportsNothing();
    void goodFile_importsAndTheChartShowsIt();

private:
    QTemporaryDir m_dir;
    QString m_project;
};

void TestCurvesDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("RubricStudioTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_curvesdialog"));
    QSettings().clear();
    QVERIFY(m_dir.isValid());
    // The sources only: no curves of the demo's own in the way.
    m_project = m_dir.filePath(QStringLiteral("curves.rubrics"));
    auto built = DemoProject::build(m_project, DemoProject::Verdicts::None);
    QVERIFY2(built.ok(), qPrintable(built.ok() ? QString() : built.error().toString()));
}

void TestCurvesDialog::malformedFile_showsFileAndLine_andImportsNothing()
{
    ProjectSession session;
    QSignalSpy opened(&session, &ProjectSession::projectOpened);
    session.openProject(m_project);
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, kTimeoutMs);
    TrainingCurvesDialog dialog(session);
    const QString bad = writeFile(m_dir, QStringLiteral("bad.csv"),
                                  "step,win_rate,rubric_reward\n0,0.50,0.40\nten,0.55,0.45\n");
    QSignalSpy previewed(&dialog, &TrainingCurvesDialog::previewed);
    dialog.setFiles({bad});
    QTRY_COMPARE_WITH_TIMEOUT(previewed.count(), 1, kTimeoutMs);
    QCOMPARE(previewed.first().first().toBool(), false);
    QVERIFY(!dialog.problemLabel()->isHidden());
    QVERIFY2(dialog.problemLabel()->text().contains(bad + QStringLiteral(":3:")),
             qPrintable(dialog.problemLabel()->text()));
    QVERIFY(!dialog.importButton()->isEnabled());
    QVERIFY(!dialog.startImport());
    auto db = store::Database::open(m_project, store::Database::Mode::ReadOnly);
    QCOMPARE(db->scalar("SELECT count(*) FROM training_curves").value(), 0);
}

void TestCurvesDialog::goodFile_importsAndTheChartShowsIt()
{
    MainWindow window;
    window.setLayoutPersistent(false);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy opened(window.session(), &ProjectSession::projectOpened);
    window.session()->openProject(m_project);
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, kTimeoutMs);
    AnalysisPanel *analysis = window.analysisPanel();
    // Not computing is also the state before the first computation starts: wait for its charts.
    QTRY_VERIFY_WITH_TIMEOUT(!analysis->isComputing() &&
                                 analysis->page(AnalysisPanel::OverOptimisation)->charts().size() > 1,
                             kTimeoutMs);
    QVERIFY(analysis->page(AnalysisPanel::OverOptimisation)->charts().at(1)->spec().isEmpty());

    const QString good =
        writeFile(m_dir, QStringLiteral("runs.csv"),
                  "arm,step,win_rate,rubric_reward\n"
                  "baseline,0,50,0.40\nbaseline,100,62,0.55\nbaseline,200,58,0.70\n"
                  "refined,0,50,0.38\nrefined,100,64,0.50\nrefined,200,69,0.58\n");
    TrainingCurvesDialog *dialog = window.importTrainingCurves();
    QVERIFY(dialog);
    QAbstractItemModelTester tester(dialog->previewModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy previewed(dialog, &TrainingCurvesDialog::previewed);
    dialog->setFiles({good});
    QTRY_COMPARE_WITH_TIMEOUT(previewed.count(), 1, kTimeoutMs);
    QCOMPARE(previewed.first().first().toBool(), true);
    QVERIFY(dialog->problemLabel()->isHidden());
    QCOMPARE(dialog->previewModel()->rowCount(), 2);
    QCOMPARE(dialog->previewModel()->index(0, 0).data().toString(), QStringLiteral("baseline"));
    QCOMPARE(dialog->previewModel()->index(0, 2).data().toLongLong(), 3); // points
    QCOMPARE(dialog->previewModel()->index(0, 4).data(SortRole).toDouble(),
             0.62); // peak; percent read as a share
    QVERIFY(dialog->importButton()->isEnabled());

    QSignalSpy imported(dialog, &TrainingCurvesDialog::imported);
    QSignalSpy computed(analysis, &AnalysisPanel::computed);
    QVERIFY(dialog->startImport());
    QTRY_COMPARE_WITH_TIMEOUT(imported.count(), 1, kTimeoutMs);
    QCOMPARE(imported.first().first().toLongLong(), 6);
    auto db = store::Database::open(m_project, store::Database::Mode::ReadOnly);
    QCOMPARE(db->scalar("SELECT count(*) FROM training_curves").value(), 6);
    QCOMPARE(db->scalar("SELECT count(DISTINCT arm) FROM training_curves").value(), 2);

    // The window shows where the curves went, and the chart draws them after recomputing.
    QCOMPARE(window.tabs()->currentWidget(), analysis);
    QTRY_VERIFY_WITH_TIMEOUT(computed.count() >= 1 && !analysis->isComputing(), kTimeoutMs);
    const ChartSpec &curves =
        analysis->page(AnalysisPanel::OverOptimisation)->charts().at(1)->spec();
    QStringList arms;
    for (const ChartSeries &s : curves.series)
        arms << s.name;
    QCOMPARE(arms, (QStringList{QStringLiteral("baseline"), QStringLiteral("refined")}));
    dialog->close();
}

QTEST_MAIN(TestCurvesDialog)
#include "tst_curvesdialog.moc"
