// The Labels tab on the demo project (hand-graded verdicts included): a new sample fills the
// queue, the judge's verdict stays hidden until the human answers, Y / N / S / Backspace
// label and take back, every label is in the project at once, a second panel (a restart)
// resumes where the first stopped, and the tab sits in the main window. With
// RS_LABELS_SCREENSHOT=FILE.png it also saves a picture of the tab.
#include "labels/labelqueuemodel.h"
#include "labels/labelspanel.h"
#include "labels/labelstore.h"
#include "mainwindow.h"
#include "project/demoproject.h"
#include "store/database.h"
#include "store/projectstore.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTest>

using namespace rs;
using namespace rs::ui;

class TestLabelsPanel final : public QObject {
    Q_OBJECT

    static constexpr int kTimeoutMs = 30000;
    QTemporaryDir m_dir;
    QString m_path;

    std::vector<labels::HumanLabel> stored() const {
        auto db = store::Database::open(m_path, store::Database::Mode::ReadOnly);
        if (!db)
            qFatal("open: %s", qPrintable(db.error().toString()));
        auto all = labels::readLabels(db.value());
        return all ? all.value() : std::vector<labels::HumanLabel>{};
    }

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("RubricStudioTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_labelspanel"));
        QSettings().clear();
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("demo.rubrics"));
        auto built = DemoProject::build(m_path, DemoProject::Verdicts::Included);
        QVERIFY2(built.ok(), qPrintable(built.error().toString()));
    }

    void labelling_isBlindKeyboardDrivenAndResumable() {
        auto store = store::ProjectStore::open(m_path);
        QVERIFY(store.ok());
        LabelsPanel panel;
        QAbstractItemModelTester tester(panel.model());
        panel.findChild<QLineEdit *>(QStringLiteral("labelsAnnotator"))->setText(QStringLiteral("ana"));
        QSignalSpy loaded(&panel, &LabelsPanel::loaded);
        QSignalSpy storedSpy(&panel, &LabelsPanel::labelStored);
        panel.setProject(store->get(), m_path);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, kTimeoutMs);
        QCOMPARE(panel.model()->rowCount(), 0);
        QCOMPARE(panel.currentRow(), -1);

        panel.newSample(12, 5);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 2, kTimeoutMs);
        LabelQueueModel *m = panel.model();
        QCOMPARE(m->rowCount(), 12);
        QCOMPARE(panel.currentRow(), 0);
        for (int r = 0; r < m->rowCount(); ++r)
            QCOMPARE(m->index(r, LabelQueueModel::Judge).data().toString(), QStringLiteral("(hidden)"));
        auto *criterion = panel.findChild<QLabel *>(QStringLiteral("labelsCriterion"));
        QCOMPARE(criterion->text(), m->items()[0].cell.criterion);

        // Y on the first cell, N on the second, S on the third: stored, and the judge shown.
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.setFocus();
        QTest::keyClick(&panel, Qt::Key_Y);
        QTest::keyClick(&panel, Qt::Key_N);
        QTest::keyClick(&panel, Qt::Key_S);
        QTRY_COMPARE_WITH_TIMEOUT(storedSpy.count(), 3, kTimeoutMs);
        QCOMPARE(panel.currentRow(), 3);
        QCOMPARE(m->index(0, LabelQueueModel::Label).data().toString(), QStringLiteral("yes"));
        QVERIFY(m->index(0, LabelQueueModel::Judge).data().toString() != QStringLiteral("(hidden)"));
        QCOMPARE(m->index(3, LabelQueueModel::Judge).data().toString(), QStringLiteral("(hidden)"));
        auto labels = stored();
        QCOMPARE(int(labels.size()), 3);
        QCOMPARE(labels[0].annotator, QStringLiteral("ana"));
        QCOMPARE(labels[0].value, labels::LabelValue::Yes);
        QCOMPARE(labels[1].value, labels::LabelValue::No);
        QCOMPARE(labels[2].value, labels::LabelValue::Skip);

        // Backspace takes the last answer back and shows that cell again.
        QTest::keyClick(&panel, Qt::Key_Backspace);
        QTRY_COMPARE_WITH_TIMEOUT(storedSpy.count(), 4, kTimeoutMs);
        QCOMPARE(panel.currentRow(), 2);
        QVERIFY(!m->index(2, LabelQueueModel::Label).data().isValid());
        QCOMPARE(int(stored().size()), 2);
        QVERIFY(panel.findChild<QLabel *>(QStringLiteral("labelsAgreement"))
                    ->text()
                    .contains(QLatin1String("of 2 labels agree")));

        // Corrections become few-shot examples (or the status says why none could).
        panel.findChild<QPushButton *>(QStringLiteral("labelsAttach"))->click();
        QTRY_COMPARE_WITH_TIMEOUT(storedSpy.count(), 5, kTimeoutMs);
        QVERIFY2(panel.findChild<QLabel *>(QStringLiteral("labelsStatus"))->text().contains(QLatin1String("held out")),
                 qPrintable(panel.findChild<QLabel *>(QStringLiteral("labelsStatus"))->text()));

        if (const QString shot = qEnvironmentVariable("RS_LABELS_SCREENSHOT"); !shot.isEmpty()) {
            panel.resize(1200, 760);
            QTest::qWait(50);
            QVERIFY(panel.grab().save(shot));
        }

        // A restart: a new panel on the same project resumes at the first open cell.
        LabelsPanel again;
        again.findChild<QLineEdit *>(QStringLiteral("labelsAnnotator"))->setText(QStringLiteral("ana"));
        QSignalSpy loadedAgain(&again, &LabelsPanel::loaded);
        again.setProject(store->get(), m_path);
        QTRY_COMPARE_WITH_TIMEOUT(loadedAgain.count(), 1, kTimeoutMs);
        QCOMPARE(again.model()->rowCount(), 12);
        QCOMPARE(again.model()->labelledCount(), 2);
        QCOMPARE(again.currentRow(), 2);
        // Another annotator sees the same queue with nothing labelled.
        again.findChild<QLineEdit *>(QStringLiteral("labelsAnnotator"))->setText(QStringLiteral("ben"));
        Q_EMIT again.findChild<QLineEdit *>(QStringLiteral("labelsAnnotator"))->editingFinished();
        QTRY_COMPARE_WITH_TIMEOUT(loadedAgain.count(), 2, kTimeoutMs);
        QCOMPARE(again.model()->labelledCount(), 0);
        QCOMPARE(again.currentRow(), 0);
    }

    void mainWindow_hasTheLabelsTab() {
        MainWindow w;
        auto *tabs = w.findChild<QTabWidget *>();
        QVERIFY(tabs);
        bool found = false;
        for (int i = 0; i < tabs->count(); ++i)
            found = found || (tabs->tabText(i) == QStringLiteral("Labels") && tabs->widget(i) == w.labelsPanel());
        QVERIFY(found);
    }
};

QTEST_MAIN(TestLabelsPanel)
#include "tst_labelspanel.moc"
