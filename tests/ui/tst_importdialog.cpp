// File ▸ Import… end to end: preview, import with skip or abort, cancel, and the result the
// user reads at the end (counts and FILE:LINE warnings).

#include "project/demoproject.h"
#include "project/importdialog.h"
#include "project/importjob.h"
#include "project/importpreviewmodel.h"
#include "project/projectsession.h"
#include "store/projectreader.h"

#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace rs;
using namespace rs::ui;

namespace {
constexpr int kTimeoutMs = 60000;

QByteArray genericLines()
{
    return "{\"q\": \"What is 2+2?\", \"a\": \"4\", \"model\": \"m1\"}\n"
           "{\"q\": \"Name a colour\", \"a\": \"Blue\", \"model\": \"m2\"}\n"
           "{\"q\": \"broken\", \"a\": \n"
           "{\"q\": \"Capital of France?\", \"a\": \"Paris\", \"model\": \"m1\"}\n";
}

} // namespace

class TestImportDialog final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void preview_showsDetectedFormatAndFields();
    void genericJsonl_needsAFieldMapBeforeImporting();
    void skipBadRecords_importsTheRestAndListsFileLine();
    void abortOnBadRecord_leavesTheProjectUnchanged();
    void cancel_rollsBackAndSaysSo();
    void largeImport_reportsProgressToTheEnd();

private:
    QString writeFile(const QString &name, const QByteArray &content);
    qint64 promptCount();

    QTemporaryDir m_dir;
    std::unique_ptr<ProjectSession> m_session;
    int m_projectNumber = 0;
};

void TestImportDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("RubricStudioTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_importdialog"));
    QSettings().clear();
    QVERIFY(m_dir.isValid());
}

void TestImportDialog::init()
{
    m_session = std::make_unique<ProjectSession>();
    QSignalSpy opened(m_session.get(), &ProjectSession::projectOpened);
    m_session->createProject(m_dir.filePath(QStringLiteral("p%1.rubrics").arg(++m_projectNumber)));
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, kTimeoutMs);
}

void TestImportDialog::cleanup()
{
    m_session.reset();
    QSettings().clear();
}

QString TestImportDialog::writeFile(const QString &name, const QByteArray &content)
{
    const QString path = m_dir.filePath(name);
    QFile f(path);
    if (f.open(QIODevice::WriteOnly))
        f.write(content);
    return path;
}

qint64 TestImportDialog::promptCount()
{
    auto reader = store::ProjectReader::open(m_session->path());
    if (!reader)
        return -1;
    auto stats = reader->stats();
    return stats ? stats->prompts : -1;
}

void TestImportDialog::preview_showsDetectedFormatAndFields()
{
    QFile demo(DemoProject::sourceFiles().first());
    QVERIFY(demo.open(QIODevice::ReadOnly));
    const QString file = writeFile(QStringLiteral("rollouts.json"), demo.readAll());
    ImportDialog dialog(*m_session);
    QSignalSpy previewed(&dialog, &ImportDialog::previewUpdated);
    dialog.setFormat(import::Format::Auto);
    dialog.setFiles({file});
    QTRY_VERIFY_WITH_TIMEOUT(previewed.count() >= 1 && dialog.previewModel()->rowCount() > 0,
                             kTimeoutMs);
    QVERIFY2(dialog.detectedText().contains(QLatin1String("rollouts")),
             qPrintable(dialog.detectedText()));
    QCOMPARE(dialog.previewModel()->rowCount(), ImportDialog::kPreviewRecords);
    QVERIFY(dialog.previewModel()
                ->index(0, ImportPreviewModel::ResponsesColumn)
                .data()
                .toString()
                .contains(QLatin1String("frontier-large (great)")));
    QVERIFY(dialog.previewModel()->preview().fields.contains(QStringLiteral("responses")));
}

void TestImportDialog::genericJsonl_needsAFieldMapBeforeImporting()
{
    const QString file = writeFile(QStringLiteral("generic.jsonl"), genericLines());
    ImportDialog dialog(*m_session);
    dialog.setFiles({file});
    dialog.setFormat(import::Format::Jsonl);
    dialog.setFieldMap({});
    QVERIFY(!dialog.canImport());
    QVERIFY(!dialog.startImport());
    dialog.setFieldMap({QStringLiteral("q"), QStringLiteral("a"), {}, {}});
    QVERIFY(dialog.canImport());
    // The preview follows the mapping.
    QTRY_VERIFY_WITH_TIMEOUT(
        dialog.previewModel()->rowCount() == 4 &&
            dialog.previewModel()->index(0, ImportPreviewModel::PromptColumn).data().toString() ==
                QLatin1String("What is 2+2?"),
        kTimeoutMs);
}

void TestImportDialog::skipBadRecords_importsTheRestAndListsFileLine()
{
    const QString file = writeFile(QStringLiteral("bad.jsonl"), genericLines());
    ImportDialog dialog(*m_session);
    dialog.setFiles({file});
    dialog.setFormat(import::Format::Jsonl);
    dialog.setFieldMap({QStringLiteral("q"), QStringLiteral("a"), QStringLiteral("model"), {}});
    dialog.setOnError(import::OnError::Skip);
    QSignalSpy imported(&dialog, &ImportDialog::imported);
    QSignalSpy changed(m_session.get(), &ProjectSession::projectChanged);
    QVERIFY(dialog.startImport());
    QVERIFY(dialog.isImporting());
    QTRY_COMPARE_WITH_TIMEOUT(imported.count(), 1, kTimeoutMs);
    QVERIFY(!dialog.isImporting());
    QCOMPARE(changed.count(), 1);

    const auto result = imported.first().first().value<import::ImportResult>();
    QCOMPARE(result.promptsAdded, 3);
    QCOMPARE(result.skipped, 1);
    QCOMPARE(promptCount(), 3);
    QVERIFY2(dialog.resultText().contains(QLatin1String("3 new prompts")),
             qPrintable(dialog.resultText()));
    QVERIFY(dialog.resultText().contains(QLatin1String("1 bad record skipped")));
    const QStringList warnings = dialog.warnings();
    QCOMPARE(warnings.size(), 1);
    QVERIFY2(warnings.first().startsWith(file + QStringLiteral(":3: ")),
             qPrintable(warnings.first()));
}

void TestImportDialog::abortOnBadRecord_leavesTheProjectUnchanged()
{
    const QString file = writeFile(QStringLiteral("bad.jsonl"), genericLines());
    ImportDialog dialog(*m_session);
    dialog.setFiles({file});
    dialog.setFormat(import::Format::Jsonl);
    dialog.setFieldMap({QStringLiteral("q"), QStringLiteral("a"), {}, {}});
    dialog.setOnError(import::OnError::Abort);
    QSignalSpy failed(&dialog, &ImportDialog::importFailed);
    QSignalSpy changed(m_session.get(), &ProjectSession::projectChanged);
    QVERIFY(dialog.startImport());
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, kTimeoutMs);
    QVERIFY(failed.first().first().toString().startsWith(file + QStringLiteral(":3: ")));
    QVERIFY(dialog.resultText().contains(QLatin1String("unchanged")));
    QCOMPARE(changed.count(), 0);
    QCOMPARE(promptCount(), 0);
}

void TestImportDialog::cancel_rollsBackAndSaysSo()
{
    // Large enough that the import is still running when Cancel is pressed right after start.
    QByteArray big;
    for (int i = 0; i < 200000; ++i)
        big += "{\"q\": \"prompt " + QByteArray::number(i) +
               "\", \"a\": \"an answer that is a "
               "little longer than one word\"}\n";
    const QString file = writeFile(QStringLiteral("big.jsonl"), big);
    ImportDialog dialog(*m_session);
    dialog.setFiles({file});
    dialog.setFormat(import::Format::Jsonl);
    dialog.setFieldMap({QStringLiteral("q"), QStringLiteral("a"), {}, {}});
    QSignalSpy failed(dialog.job(), &ImportJob::failed);
    QVERIFY(dialog.startImport());
    dialog.reject(); // Escape / Cancel while importing: cancel, and close once rolled back
    QVERIFY(dialog.job()->cancelRequested());
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, kTimeoutMs);
    QVERIFY(failed.first().at(1).toBool());
    QVERIFY(dialog.resultText().contains(QLatin1String("cancelled")));
    QCOMPARE(promptCount(), 0);
    QVERIFY(!m_session->isBusy());
}

void TestImportDialog::largeImport_reportsProgressToTheEnd()
{
    QByteArray data;
    for (int i = 0; i < 20000; ++i)
        data += "{\"q\": \"question " + QByteArray::number(i) + "\", \"a\": \"answer\"}\n";
    const QString file = writeFile(QStringLiteral("many.jsonl"), data);
    ImportDialog dialog(*m_session);
    dialog.setFiles({file});
    dialog.setFormat(import::Format::Jsonl);
    dialog.setFieldMap({QStringLiteral("q"), QStringLiteral("a"), {}, {}});
    QSignalSpy progress(dialog.job(), &ImportJob::progressChanged);
    QSignalSpy imported(&dialog, &ImportDialog::imported);
    QVERIFY(dialog.startImport());
    QVERIFY(m_session->isBusy()); // no project switch while the store is in use
    QTRY_COMPARE_WITH_TIMEOUT(imported.count(), 1, kTimeoutMs);
    QVERIFY(progress.count() >= 2);
    QCOMPARE(progress.last().at(0).toInt(), 100);
    QCOMPARE(dialog.job()->percent(), 100);
    QCOMPARE(promptCount(), 20000);
}

QTEST_MAIN(TestImportDialog)
#include "tst_importdialog.moc"
