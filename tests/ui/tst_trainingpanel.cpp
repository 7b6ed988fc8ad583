// The Training tab over a project with rewards served at several steps: it lists the steps,
// follows the newest one, marks saturated criteria, shows the step's top responses, reads the
// log again on Refresh, draws the selected criterion's pass rate by step next to the reward,
// and sits in the main window next to the other tabs. "Refine on This
// Step…" opens the RTD tab on the selected step's served responses, and its Run K Rounds job
// (against the local LLM test server) refines on exactly those. Its Panel check runs as a job
// against the same server and marks each top response with the pairwise panel's answer (the
// server prefers the response with more words). With RS_TRAINING_SCREENSHOT=FILE.png it also
// saves a picture of the tab.
#include "authoring/rtdrounds.h"
#include "jobs/joblistmodel.h"
#include "judge/judgecontroller.h"
#include "judge/judgejob.h"
#include "mainwindow.h"
#include "project/projectsession.h"
#include "providers/providerlistmodel.h"
#include "rtd/rtdpanel.h"
#include "rubric/rubricversions.h"
#include "servedproject.h"
#include "serverprocess.h"
#include "store/database.h"
#include "training/panelcheckdialog.h"
#include "training/trainingcriterionmodel.h"
#include "training/trainingpanel.h"
#include "training/trainingstepmodel.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTextBrowser>
#include <QToolBar>

using namespace rs;
using namespace rs::ui;

class TestTrainingPanel final : public QObject {
    Q_OBJECT

    static constexpr int kTimeoutMs = 30000;
    QTemporaryDir m_dir;
    QString m_path;

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        m_path = test::makeServedProject(m_dir);
    }

    void panel_showsTheStepsOfServedRewards() {
        TrainingPanel panel;
        QAbstractItemModelTester stepTester(panel.stepModel());
        QAbstractItemModelTester criterionTester(panel.criterionModel());
        QSignalSpy loaded(&panel, &TrainingPanel::loaded);
        panel.setProject(m_path);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, kTimeoutMs);
        TrainingStepModel *steps = panel.stepModel();
        QCOMPARE(steps->rowCount(), 8);
        for (int row = 0; row < 8; ++row) {
            QCOMPARE(steps->data(steps->index(row, TrainingStepModel::Step)).toLongLong(),
                     qint64(row * 10));
            QCOMPARE(steps->data(steps->index(row, TrainingStepModel::Rewarded)).toLongLong(), 12);
        }
        // Responses grow step by step: the length column climbs.
        QVERIFY(steps->data(steps->index(7, TrainingStepModel::Chars), Qt::UserRole).toDouble() >
                steps->data(steps->index(0, TrainingStepModel::Chars), Qt::UserRole).toDouble());
        QCOMPARE(panel.selectedStep(), std::optional<qint64>(70));
        QCOMPARE(panel.criterionModel()->rowCount(), 6); // 2 prompts × 3 criteria
        // c1 is met by every response at the last step: marked saturated.
        bool sawSaturated = false;
        for (int row = 0; row < panel.criterionModel()->rowCount(); ++row) {
            const auto idx = panel.criterionModel()->index(row, TrainingCriterionModel::State);
            if (idx.data(Qt::UserRole).toBool()) {
                sawSaturated = true;
                QVERIFY(idx.data().toString().contains(QLatin1String("saturated")));
            }
        }
        QVERIFY(sawSaturated);
        auto *top = panel.findChild<QTextBrowser *>(QStringLiteral("trainingTop"));
        QVERIFY(top->toPlainText().contains(QLatin1String("Top rewarded at step 70")));
        QVERIFY(top->toPlainText().contains(QLatin1String("Step 7 answer")));

        // Refresh reads again; the user's chosen step stays selected.
        auto *view = panel.findChild<QTableView *>(QStringLiteral("trainingSteps"));
        view->setCurrentIndex(steps->index(2, 0));
        QCOMPARE(panel.selectedStep(), std::optional<qint64>(20));
        QVERIFY(top->toPlainText().contains(QLatin1String("Step 2 answer")));
        panel.findChild<QPushButton *>(QStringLiteral("trainingRefresh"))->click();
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 2, kTimeoutMs);
        QCOMPARE(panel.selectedStep(), std::optional<qint64>(20));

        // "Refine on This Step…" asks for the selected step, and says where new versions go.
        QVERIFY(panel.refineButton()->isEnabled());
        QVERIFY(panel.refineButton()->toolTip().contains(QLatin1String("serve")));
        QSignalSpy refine(&panel, &TrainingPanel::refineStepRequested);
        panel.refineButton()->click();
        QCOMPARE(refine.count(), 1);
        QCOMPARE(refine.first().first().toLongLong(), qint64(20));

        if (const QString shot = qEnvironmentVariable("RS_TRAINING_SCREENSHOT"); !shot.isEmpty()) {
            panel.resize(1400, 860);
            panel.show();
            view->setCurrentIndex(steps->index(7, 0));
            QTest::qWait(100);
            QVERIFY(panel.grab().save(shot, "PNG"));
        }
    }

    void selectedCriterion_isDrawnByStep() {
        TrainingPanel panel;
        QSignalSpy loaded(&panel, &TrainingPanel::loaded);
        panel.setProject(m_path);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, kTimeoutMs);
        auto *chartView = panel.chartView();
        QCOMPARE(chartView->chart()->series().size(), 3); // p90, mean, p10: nothing selected yet
        QVERIFY(!panel.trendCriterion());

        // Prompt 2's c1 (row 3 at the last step): its pass rate at every step, read from the
        // criteria table step by step, is the fourth line of the chart.
        auto *criteriaView = panel.findChild<QTableView *>(QStringLiteral("trainingCriteria"));
        TrainingCriterionModel *criteria = panel.criterionModel();
        const int row = 3;
        const qint64 prompt =
            criteria->data(criteria->index(row, TrainingCriterionModel::Prompt)).toLongLong();
        const QString id =
            criteria->data(criteria->index(row, TrainingCriterionModel::Criterion)).toString();
        criteriaView->setCurrentIndex(criteria->index(row, 0));
        QCOMPARE(panel.trendCriterion(), std::make_optional(std::make_pair(prompt, id)));
        const auto series = chartView->chart()->series();
        QCOMPARE(series.size(), 4);
        auto *trend = qobject_cast<QLineSeries *>(series.back());
        QVERIFY(trend);
        QVERIFY(trend->name().contains(id));
        QVERIFY(chartView->chart()->title().contains(id));

        auto *stepsView = panel.findChild<QTableView *>(QStringLiteral("trainingSteps"));
        TrainingStepModel *steps = panel.stepModel();
        QList<QPointF> expected;
        for (int s = 0; s < steps->rowCount(); ++s) {
            stepsView->setCurrentIndex(steps->index(s, 0));
            const int r = criteria->rowOf(prompt, id);
            if (r < 0)
                continue;
            // The selection follows the criterion from step to step.
            QCOMPARE(criteriaView->currentIndex().row(), r);
            const auto judged =
                criteria->data(criteria->index(r, TrainingCriterionModel::Judged)).toLongLong();
            if (judged > 0)
                expected.append(QPointF(
                    steps->data(steps->index(s, TrainingStepModel::Step)).toDouble(),
                    criteria
                        ->data(criteria->index(r, TrainingCriterionModel::PassRate), Qt::UserRole)
                        .toDouble()));
        }
        QCOMPARE(expected.size(), 8);
        QCOMPARE(trend->points(), expected);
        // At the last step the table says what the criterion gained since its first step.
        const QModelIndex since =
            criteria->index(criteria->rowOf(prompt, id), TrainingCriterionModel::SinceFirst);
        QCOMPARE(since.data(Qt::UserRole).toDouble(), expected.back().y() - expected.front().y());
        QVERIFY(since.data().toString().startsWith(QLatin1Char('+')));
        // Saturated at the end (the fixture's c1 is met by every response at step 70).
        QCOMPARE(trend->points().back().y(), 1.0);

        // Another criterion replaces the line; a refresh keeps it.
        criteriaView->setCurrentIndex(criteria->index(4, 0));
        const QString other =
            criteria->data(criteria->index(4, TrainingCriterionModel::Criterion)).toString();
        QCOMPARE(panel.trendCriterion()->second, other);
        QCOMPARE(chartView->chart()->series().size(), 4);
        QVERIFY(qobject_cast<QLineSeries *>(chartView->chart()->series().back())
                    ->name()
                    .contains(other));
        panel.reload();
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 2, kTimeoutMs);
        QCOMPARE(panel.trendCriterion()->second, other);
        QCOMPARE(chartView->chart()->series().size(), 4);

        if (const QString shot = qEnvironmentVariable("RS_TRAINING_SCREENSHOT"); !shot.isEmpty()) {
            criteriaView->setCurrentIndex(criteria->index(row, 0));
            panel.resize(1400, 860);
            panel.show();
            QTest::qWait(100);
            QVERIFY(panel.grab().save(
                QString(shot).replace(QLatin1String(".png"), QLatin1String("-trend.png")), "PNG"));
        }
    }

    void mainWindow_hasATrainingTab() {
        MainWindow window;
        auto *tabs = window.findChild<QTabWidget *>();
        QVERIFY(tabs);
        int index = -1;
        for (int i = 0; i < tabs->count(); ++i)
            if (tabs->tabText(i) == QLatin1String("Training"))
                index = i;
        QVERIFY(index >= 0);
        QCOMPARE(tabs->widget(index), window.trainingPanel());
        QSignalSpy loaded(window.trainingPanel(), &TrainingPanel::loaded);
        window.session()->openProject(m_path);
        QTRY_VERIFY_WITH_TIMEOUT(loaded.count() >= 1 && !window.trainingPanel()->isLoading(),
                                 kTimeoutMs);
        QCOMPARE(window.trainingPanel()->stepModel()->rowCount(), 8);

        if (QString shot = qEnvironmentVariable("RS_TRAINING_SCREENSHOT"); !shot.isEmpty()) {
            window.setLayoutPersistent(false);
            tabs->setCurrentIndex(index);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            QTest::qWait(200);
            shot.replace(QLatin1String(".png"), QLatin1String("-window.png"));
            QVERIFY(window.grab().save(shot, "PNG"));
        }
    }

    void refineOnThisStep_runsRtdOnThatStepsResponses() {
        QTemporaryDir dir;
        const QString path = test::makeServedProject(dir);
        test::ServerProcess server;
        QVERIFY(server.start());
        MainWindow window;
        window.setLayoutPersistent(false);
        QTRY_VERIFY_WITH_TIMEOUT(window.judge()->providers()->isLoaded(), kTimeoutMs);
        llm::ProviderConfig provider;
        provider.name = QStringLiteral("local test server");
        provider.baseUrl = server.baseUrl() + QStringLiteral("/v1");
        provider.model = QStringLiteral("rs-test-proposer");
        provider.maxConcurrency = 8;
        provider.timeoutMs = 5000;
        window.judge()->providers()->setProviders({provider});
        TrainingPanel *training = window.trainingPanel();
        QSignalSpy loaded(training, &TrainingPanel::loaded);
        window.session()->openProject(path);
        QTRY_VERIFY_WITH_TIMEOUT(loaded.count() >= 1 && !training->isLoading(), kTimeoutMs);
        window.tabs()->setCurrentWidget(training);
        auto *steps = training->findChild<QTableView *>(QStringLiteral("trainingSteps"));
        steps->setCurrentIndex(training->stepModel()->index(3, 0));
        QCOMPARE(training->selectedStep(), std::optional<qint64>(30));

        // The button opens the RTD tab with the step's served responses as the pool.
        training->refineButton()->click();
        RtdPanel *rtd = window.rtdPanel();
        QCOMPARE(window.tabs()->currentWidget(), rtd);
        QCOMPARE(rtd->servedStep(), std::optional<qint64>(30));
        QVERIFY(rtd->scopeCombo()->currentText().contains(QLatin1String("30")));
        QVERIFY(window.statusBar()->currentMessage().contains(QLatin1String("step 30")));

        // Run K Rounds (K = 1) is the RTD tab's job; it refines each prompt on those only,
        // four of each prompt's six drawn (the sample control shows for this scope only).
        auto *bar = rtd->findChild<QToolBar *>(QStringLiteral("rtdToolbar"));
        QAction *sampleAction = nullptr;
        for (QAction *action : bar->actions())
            if (bar->widgetForAction(action) == rtd->sampleSpin())
                sampleAction = action;
        QVERIFY(sampleAction && sampleAction->isVisible());
        rtd->scopeCombo()->setCurrentIndex(0);
        QVERIFY(!sampleAction->isVisible());
        rtd->scopeCombo()->setCurrentIndex(2);
        QVERIFY(sampleAction->isVisible());
        if (const QString shots = qEnvironmentVariable("RS_SCREENSHOT_DIR"); !shots.isEmpty())
            QVERIFY(window.grab().save(shots + QStringLiteral("/screenshot-refine-step.png")));
        rtd->sampleSpin()->setValue(4);
        rtd->roundsSpin()->setValue(1);
        QTRY_VERIFY_WITH_TIMEOUT(rtd->runButton()->isEnabled(), kTimeoutMs);
        rtd->runButton()->click();
        auto db = store::Database::open(path, store::Database::Mode::ReadOnly);
        QTRY_COMPARE_WITH_TIMEOUT(db->scalar("SELECT count(*) FROM rtd_rounds").value(), qint64(2),
                                  kTimeoutMs);
        auto served =
            db->prepare("SELECT DISTINCT response_id FROM served_rewards"
                        " WHERE step = 30 AND status = 'ok'"
                        " AND response_id IN (SELECT id FROM responses WHERE prompt_id = ?1)");
        for (qint64 promptId : {qint64(1), qint64(2)}) {
            QSet<qint64> pool;
            served->reset();
            served->bind(1, std::int64_t(promptId));
            while (served->step().value())
                pool.insert(served->columnInt(0));
            QCOMPARE(pool.size(), 6);
            auto rounds = authoring::listRounds(db.value(), promptId);
            QCOMPARE(rounds->size(), 1);
            QCOMPARE(rounds->first().poolSize, 4);
            QVERIFY(pool.contains(rounds->first().responseA));
            QVERIFY(pool.contains(rounds->first().responseB));
            const auto versions = rubric::listVersions(db.value(), promptId);
            QCOMPARE(versions->last().detail.value(QStringLiteral("served_step")).toInteger(), 30);
        }
    }

    void panelCheck_marksTopResponsesWithThePanelsAnswer() {
        test::ServerProcess server;
        QVERIFY(server.start());
        llm::ProviderConfig a;
        a.name = QStringLiteral("pairwise-a");
        a.baseUrl = server.baseUrl() + QStringLiteral("/v1");
        a.model = QStringLiteral("rs-test-pairwise");
        a.timeoutMs = 5000;
        llm::ProviderConfig same = a;
        same.name = QStringLiteral("pairwise-same-model");
        llm::ProviderConfig b = a;
        b.name = QStringLiteral("pairwise-b");
        b.model = QStringLiteral("rs-test-pairwise-b");

        MainWindow window;
        window.setLayoutPersistent(false);
        QTRY_VERIFY_WITH_TIMEOUT(window.judge()->providers()->isLoaded(), kTimeoutMs);
        window.judge()->providers()->setProviders({a, same, b});
        TrainingPanel *panel = window.trainingPanel();
        QSignalSpy loaded(panel, &TrainingPanel::loaded);
        window.session()->openProject(m_path);
        QTRY_VERIFY_WITH_TIMEOUT(loaded.count() >= 1 && !panel->isLoading(), kTimeoutMs);
        QCOMPARE(panel->selectedStep(), std::optional<qint64>(70));
        QVERIFY(panel->panelCheckButton()->isEnabled());

        // The provider choice: Start only for one model or 2-5 different ones.
        PanelCheckDialog dialog(*window.judge()->providers(), 70, 3);
        QVERIFY(!dialog.startButton()->isEnabled());
        auto *selection = dialog.providerView()->selectionModel();
        auto *providers = window.judge()->providers();
        selection->select(providers->index(0, 0),
                          QItemSelectionModel::Select | QItemSelectionModel::Rows);
        QVERIFY(dialog.startButton()->isEnabled());
        selection->select(providers->index(1, 0),
                          QItemSelectionModel::Select | QItemSelectionModel::Rows);
        QVERIFY(!dialog.startButton()->isEnabled()); // the same model twice
        QVERIFY(dialog.hintLabel()->text().contains(QLatin1String("different model")));
        selection->select(providers->index(1, 0),
                          QItemSelectionModel::Deselect | QItemSelectionModel::Rows);
        selection->select(providers->index(2, 0),
                          QItemSelectionModel::Select | QItemSelectionModel::Rows);
        QVERIFY(dialog.startButton()->isEnabled());
        const auto chosen = dialog.panel();
        QCOMPARE(chosen.size(), std::size_t(2));
        QCOMPARE(chosen[1].model, QStringLiteral("rs-test-pairwise-b"));

        QSignalSpy finished(panel, &TrainingPanel::panelCheckFinished);
        JudgeJob *job = panel->startPanelCheck(70, chosen);
        QVERIFY(job);
        QCOMPARE(window.judge()->jobs()->rowCount(), 1);
        QVERIFY(!panel->panelCheckButton()->isEnabled()); // this step's check is running
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeoutMs);
        QCOMPARE(job->state(), JudgeJob::State::Completed);
        const analytics::TopHackCheck *check = panel->panelCheck(70);
        QVERIFY(check);
        QCOMPARE(check->results.size(), std::size_t(3));
        QCOMPARE(check->checked, 3); // six responses per prompt at every step: always a median

        // Each mark follows the server's rule: more words wins; equal counts tie.
        auto db = store::Database::open(m_path, store::Database::Mode::ReadOnly);
        auto words = [&](qint64 id) {
            auto st = db->prepare("SELECT text FROM responses WHERE id = ?1");
            st->bind(1, std::int64_t(id));
            return st->step().value()
                       ? st->columnText(0)
                             .split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts)
                             .size()
                       : -1;
        };
        const QString shown =
            panel->findChild<QTextBrowser *>(QStringLiteral("trainingTop"))->toPlainText();
        QVERIFY(
            shown.contains(QLatin1String("Panel check (rs-test-pairwise + rs-test-pairwise-b)")));
        for (const analytics::TopHackResult &r : check->results) {
            const qsizetype top = words(r.pair.topResponseId),
                            contrast = words(r.pair.contrastResponseId);
            QVERIFY(top > 0 && contrast > 0);
            QCOMPARE(r.suspect, contrast > top);
            QCOMPARE(r.preferenceTop, top > contrast ? 1.0 : top < contrast ? 0.0 : 0.5);
            const QString mark = r.suspect ? QStringLiteral("SUSPECT: panel prefers response #%1 (")
                                                 .arg(r.pair.contrastResponseId)
                                 : top > contrast ? QStringLiteral("panel agrees · P(top better)")
                                                  : QStringLiteral("panel ties · P(top better)");
            // The mark is the line under its own response's header.
            const qsizetype header =
                shown.indexOf(QStringLiteral("#%1 · reward").arg(r.pair.servedId));
            QVERIFY(header >= 0);
            const qsizetype line = shown.indexOf(QLatin1Char('\n'), header) + 1;
            QVERIFY2(shown.mid(line).startsWith(mark),
                     qPrintable(mark + QLatin1Char('\n') + shown));
        }
    }
};

QTEST_MAIN(TestTrainingPanel)
#include "tst_trainingpanel.moc"
