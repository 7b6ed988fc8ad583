// Judge › Provider Batches over the demo, offscreen: Export writes the batch input files a
// provider's batch API takes and records the batch (Status lists it); the provider's output
// (made here by the local LLM test server's batch mode) imports back, with progress, into
// verdicts of the same judge run; lines that cannot be used are listed as FILE:LINE.

#include "batch/batchdialog.h"
#include "batch/batchjoblistmodel.h"
#include "project/demoproject.h"
#include "project/projectsession.h"
#include "providers/providerlistmodel.h"
#include "serverprocess.h"
#include "store/database.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace rs;
using namespace rs::ui;

namespace {
constexpr int kTimeoutMs = 30000;

qint64 count(const QString &path, const char *sql)
{
    auto db = store::Database::open(path, store::Database::Mode::ReadOnly);
    return db ? db->scalar(sql).value() : -1;
}

qint64 lineCount(const QString &file)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    qint64 n = 0;
    while (!f.atEnd())
        n += f.readLine().trimmed().isEmpty() ? 0 : 1;
    return n;
}

} // namespace

class TestBatchDialog final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void exportThenImport_storesTheVerdictsOfTheRun();
    void noProvider_noExport();

private:
    void open(ProjectSession &session, const QString &path);

    QTemporaryDir m_dir;
    QString m_project;
    llm::ProviderConfig m_provider;
};

void TestBatchDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("RubricStudioTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_batchdialog"));
    QSettings().clear();
    QVERIFY(m_dir.isValid());
    m_project = m_dir.filePath(QStringLiteral("batch.rubrics"));
    auto built = DemoProject::build(m_project, DemoProject::Verdicts::None);
    QVERIFY2(built.ok(), qPrintable(built.ok() ? QString() : built.error().toString()));
    // Exporting sends nothing, so the address need not answer; the kind picks the format.
    m_provider.name = QStringLiteral("local");
    m_provider.kind = llm::ProviderKind::OpenAiCompatible;
    m_provider.baseUrl = QStringLiteral("http://127.0.0.1:9/v1");
    m_provider.model = QStringLiteral("rs-test-judge");
}

void TestBatchDialog::open(ProjectSession &session, const QString &path)
{
    QSignalSpy opened(&session, &ProjectSession::projectOpened);
    session.openProject(path);
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, kTimeoutMs);
}

void TestBatchDialog::exportThenImport_storesTheVerdictsOfTheRun()
{
    ProjectSession session;
    open(session, m_project);
    ProviderListModel providers(m_dir.filePath(QStringLiteral("providers.json")));
    providers.setProviders({m_provider});
    BatchDialog dialog(session, &providers);
    QAbstractItemModelTester tester(dialog.batches(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    dialog.show();
    QCOMPARE(dialog.format(), std::optional<batch::BatchFormat>(batch::BatchFormat::OpenAi));
    QVERIFY(dialog.formatLabel()->text().contains(QLatin1String("OpenAI")));
    QTRY_COMPARE_WITH_TIMEOUT(dialog.batches()->rowCount(), 0, kTimeoutMs);

    // Export: one joint call per response, written to the chosen folder and recorded.
    const QString out = m_dir.filePath(QStringLiteral("batches"));
    dialog.setOutputFolder(out);
    QVERIFY(dialog.exportButton()->isEnabled());
    QSignalSpy exported(&dialog, &BatchDialog::exported);
    QVERIFY(dialog.startExport());
    QVERIFY(dialog.isBusy());
    QVERIFY(session.isBusy()); // the project cannot be switched under the worker
    QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 1, kTimeoutMs);
    QVERIFY(!session.isBusy());
    const auto result = exported.first().first().value<batch::BatchExportResult>();
    const qint64 responses = count(m_project, "SELECT count(*) FROM responses");
    QCOMPARE(result.requests, responses);
    QVERIFY(!result.files.isEmpty());
    qint64 lines = 0;
    for (const QString &f : result.files) {
        QVERIFY2(f.startsWith(out), qPrintable(f));
        lines += lineCount(f);
    }
    QCOMPARE(lines, result.requests);
    QCOMPARE(count(m_project, "SELECT count(*) FROM batch_jobs"), 1);
    QCOMPARE(count(m_project, "SELECT count(*) FROM batch_requests WHERE status = 'sent'"),
             responses);
    QVERIFY(dialog.exportResult()->text().contains(QStringLiteral("Batch %1").arg(result.batchId)));

    // Status: the batch, all of it waiting.
    QTRY_COMPARE_WITH_TIMEOUT(dialog.batches()->rowCount(), 1, kTimeoutMs);
    QCOMPARE(dialog.batches()->batches().first().requests, responses);
    QCOMPARE(dialog.batches()->batches().first().waiting(), responses);
    QCOMPARE(dialog.batches()->index(0, BatchJobListModel::RunColumn).data().toString(),
             QStringLiteral("run %1").arg(result.runId));

    // The provider's answers, plus a line cut off by a broken download and one it never sent.
    QStringList outputs;
    for (const QString &in : result.files) {
        QString output = in;
        output.replace(QLatin1String(".jsonl"), QLatin1String(".out.jsonl"));
        QByteArray err;
        QCOMPARE(test::ServerProcess::run(
                     {QStringLiteral("--batch-openai"), in, QStringLiteral("--out"), output}, &err),
                 0);
        outputs << output;
    }
    const QString extra = m_dir.filePath(QStringLiteral("extra.out.jsonl"));
    {
        QFile f(extra);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"custom_id\": \"rs999-000001\", \"response\": {\"status_code\": 200, \"body\": "
                "{\"choices\": [{\"message\": {\"content\": \"{}\"}}]}}}\n");
        f.write("{\"custom_id\": \"rs1-0000");
    }
    dialog.setImportFiles(outputs + QStringList{extra});
    QVERIFY(dialog.importButton()->isEnabled());
    QSignalSpy imported(&dialog, &BatchDialog::imported);
    QSignalSpy changed(&session, &ProjectSession::projectChanged);
    QVERIFY(dialog.startImport());
    QTRY_COMPARE_WITH_TIMEOUT(imported.count(), 1, kTimeoutMs);
    const auto r = imported.first().first().value<batch::BatchImportResult>();
    QCOMPARE(r.answered, responses);
    QCOMPARE(r.remaining, 0);
    QCOMPARE(r.runs, QList<qint64>{result.runId});
    QVERIFY(r.verdictsStored > 0);
    QCOMPARE(count(m_project, "SELECT count(*) FROM verdicts"), r.verdictsStored);
    QCOMPARE(dialog.importProgress()->value(), 100);
    QVERIFY(changed.count() >= 1); // the views read the new verdicts
    QVERIFY(dialog.importResult()->text().contains(
        QStringLiteral("Imported %1 answers").arg(responses)));
    const QString problems = dialog.importProblems()->toPlainText();
    QVERIFY2(problems.contains(extra + QStringLiteral(":1: unknown custom_id rs999-000001")),
             qPrintable(problems));
    QVERIFY2(problems.contains(extra + QStringLiteral(":2:")), qPrintable(problems));

    // Status: everything came back.
    QTRY_COMPARE_WITH_TIMEOUT(dialog.batches()->batches().value(0).answered, responses, kTimeoutMs);
    QCOMPARE(dialog.batches()->batches().first().waiting(), 0);

    // With RS_SCREENSHOT_DIR set, pictures of the three pages as they stand now.
    if (const QString shots = qEnvironmentVariable("RS_SCREENSHOT_DIR"); !shots.isEmpty()) {
        for (auto [page, name] : {std::pair{BatchDialog::ExportPage, "batch-export.png"},
                                  std::pair{BatchDialog::ImportPage, "batch-import.png"},
                                  std::pair{BatchDialog::StatusPage, "batch-status.png"}}) {
            dialog.showPage(page);
            QTest::qWait(200);
            QVERIFY(dialog.grab().save(QDir(shots).filePath(QLatin1String(name))));
        }
    }
}

void TestBatchDialog::noProvider_noExport()
{
    ProjectSession session;
    open(session, m_project);
    ProviderListModel providers(m_dir.filePath(QStringLiteral("none.json")));
    BatchDialog dialog(session, &providers);
    QVERIFY(!dialog.format());
    QVERIFY(!dialog.exportButton()->isEnabled());
    QVERIFY(!dialog.startExport());
    QVERIFY(dialog.formatLabel()->text().contains(QLatin1String("Providers")));
    QVERIFY(!dialog.importButton()->isEnabled()); // no files chosen
    QVERIFY(!dialog.startImport());
}

QTEST_MAIN(TestBatchDialog)
#include "tst_batchdialog.moc"
