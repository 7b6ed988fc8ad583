// The Training tab over a project with rewards served at several steps: it lists the steps,
// follows the newest one, marks saturated criteria, shows the step's top responses, reads the
// log again on Refresh, and sits in the main window next to the other tabs. With
// RS_TRAINING_SCREENSHOT=FILE.png it also saves a picture of the tab.
#include "mainwindow.h"
#include "project/projectsession.h"
#include "servedproject.h"
#include "training/trainingcriterionmodel.h"
#include "training/trainingpanel.h"
#include "training/trainingstepmodel.h"

#include <QAbstractItemModelTester>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTextBrowser>

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
        panel.findChild<QPushButton *>()->click();
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 2, kTimeoutMs);
        QCOMPARE(panel.selectedStep(), std::optional<qint64>(20));

        if (const QString shot = qEnvironmentVariable("RS_TRAINING_SCREENSHOT"); !shot.isEmpty()) {
            panel.resize(1400, 860);
            panel.show();
            view->setCurrentIndex(steps->index(7, 0));
            QTest::qWait(100);
            QVERIFY(panel.grab().save(shot, "PNG"));
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
};

QTEST_MAIN(TestTrainingPanel)
#include "tst_trainingpanel.moc"
