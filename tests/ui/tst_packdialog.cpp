// File ▸ Export Rubric Pack…, Import Rubric Pack… and Export Verdicts…: the dialog's preview
// follows the format, version and prompt choices, says what a format loses, exports on a
// worker; the controller imports a pack into the open project. With RS_SCREENSHOT_DIR set,
// the dialog is also rendered to screenshot-export.png there.
#include "../core/packsupport.h"
#include "pack/packexporter.h"
#include "packs/packcontroller.h"
#include "packs/packexportdialog.h"
#include "packs/packpreviewmodel.h"
#include "project/projectsession.h"
#include "common/roles.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QRadioButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>

using namespace rs;
using namespace rs::ui;

namespace {
constexpr int kTimeoutMs = 30000;
}

class TestPackDialog final : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    /// HealthBench examples when the shared data is there (the screenshot shows real rubrics),
    /// else the small built-in project.
    QString makeProject(const QString &name)
    {
        const QDir data(test::sharedData(QStringLiteral("healthbench")));
        if (!data.exists())
            return test::packProject(m_dir, name)->path();
        auto store = test::newProject(m_dir, name);
        import::ImportConfig c;
        for (const QString &f : data.entryList({QStringLiteral("example_*.json")}, QDir::Files, QDir::Name))
            c.files << data.filePath(f);
        if (!import::importFiles(*store, c).ok())
            qFatal("import failed");
        return store->path();
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void previewModelIsAConsistentModel()
    {
        PackPreviewModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRecords({QStringLiteral("{\"prompt\": \"Hi\", \"criteria\": [{}, {}]}"),
                          QStringLiteral("{\"prompt\": [{\"role\": \"user\", \"content\": \"Turn\"}], \"rubrics\": [{}]}")});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, PackPreviewModel::CriteriaColumn).data().toInt(), 2);
        QCOMPARE(model.index(1, PackPreviewModel::PromptColumn).data().toString(), QStringLiteral("Turn"));
        QVERIFY(model.index(1, 0).data(PackRecordJsonRole).toString().contains(QLatin1String("rubrics")));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void previewFollowsTheChoicesAndExportRunsOnAWorker()
    {
        const QString project = makeProject(QStringLiteral("dialog.rubrics"));
        PackExportDialog dialog(project, 1);
        QAbstractItemModelTester tester(dialog.previewModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy preview(&dialog, &PackExportDialog::previewUpdated);
        QVERIFY(preview.wait(kTimeoutMs));
        QVERIFY(dialog.previewModel()->rowCount() >= 3);
        const QString native = dialog.previewModel()->index(0, 0).data(PackRecordJsonRole).toString();
        QVERIFY(native.contains(QLatin1String("\"prompt_hash\"")));

        dialog.setFormat(pack::PackFormat::Rar);
        QVERIFY(preview.wait(kTimeoutMs));
        const QString rar = dialog.previewModel()->index(0, 0).data(PackRecordJsonRole).toString();
        QVERIFY(rar.contains(QLatin1String("Criteria: ")));
        bool lossShown = false;
        for (QLabel *l : dialog.findChildren<QLabel *>())
            lossShown = lossShown || l->text().contains(QLatin1String("titles are written"));
        QVERIFY(lossShown);

        // Only the selected prompt.
        auto *selected = dialog.findChildren<QRadioButton *>().at(1);
        selected->setChecked(true);
        QVERIFY(preview.wait(kTimeoutMs));
        QCOMPARE(dialog.previewModel()->rowCount(), 1);

        if (const QByteArray shots = qgetenv("RS_SCREENSHOT_DIR"); !shots.isEmpty()) {
            // The paper format, to show what a lossy format says it drops.
            dialog.setFormat(pack::PackFormat::Paper);
            QVERIFY(preview.wait(kTimeoutMs));
            selected = dialog.findChildren<QRadioButton *>().at(0);
            selected->setChecked(true);
            QVERIFY(preview.wait(kTimeoutMs));
            dialog.setOutputDir(QStringLiteral("/home/researcher/packs/healthbench-v3"));
            dialog.resize(1000, 760);
            dialog.show();
            QTest::qWait(200);
            QVERIFY(dialog.grab().save(QDir(QString::fromLocal8Bit(shots)).filePath(QStringLiteral("screenshot-export.png"))));
            selected = dialog.findChildren<QRadioButton *>().at(1);
            selected->setChecked(true);
            QVERIFY(preview.wait(kTimeoutMs));
        }

        dialog.setFormat(pack::PackFormat::Native);
        QVERIFY(preview.wait(kTimeoutMs));
        const QString out = m_dir.filePath(QStringLiteral("dialog-pack"));
        dialog.setOutputDir(out);
        QSignalSpy finished(&dialog, &PackExportDialog::exportFinished);
        dialog.startExport();
        QVERIFY(dialog.isExporting());
        QVERIFY(finished.wait(kTimeoutMs));
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
        QVERIFY(QFile::exists(out + QStringLiteral("/manifest.json")));
        QVERIFY(QFile::exists(out + QStringLiteral("/reward.py")));
        QFile f(out + QStringLiteral("/rubrics.jsonl"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll().count('\n'), 1); // the selected prompt only
    }

    void controllerImportsAPackIntoTheOpenProject()
    {
        const QString source = makeProject(QStringLiteral("source.rubrics"));
        const QString packDir = m_dir.filePath(QStringLiteral("ctl-pack"));
        {
            auto db = store::Database::open(source, store::Database::Mode::ReadOnly);
            pack::PackExportOptions o;
            o.outDir = packDir;
            QVERIFY(pack::exportPack(db.value(), o).ok());
        }
        test::newProject(m_dir, QStringLiteral("target.rubrics"));
        QWidget window;
        ProjectSession session;
        PackController controller(session, &window, [] { return qint64(0); });
        QSignalSpy opened(&session, &ProjectSession::projectOpened);
        session.openProject(m_dir.filePath(QStringLiteral("target.rubrics")));
        QVERIFY(opened.wait(kTimeoutMs));
        QSignalSpy changed(&session, &ProjectSession::projectChanged);
        QSignalSpy imported(&controller, &PackController::importFinished);
        controller.importPack(packDir);
        QVERIFY(imported.wait(kTimeoutMs));
        QVERIFY2(imported.first().at(0).toBool(), qPrintable(imported.first().at(1).toString()));
        QVERIFY(imported.first().at(1).toString().contains(QLatin1String("native")));
        QVERIFY(changed.count() >= 1);
        QVERIFY(!session.isBusy());
        auto db = store::Database::open(session.path(), store::Database::Mode::ReadOnly);
        QVERIFY(db->scalar("SELECT count(*) FROM rubric_versions").value() >= 3);
    }
};

QTEST_MAIN(TestPackDialog)
#include "tst_packdialog.moc"
