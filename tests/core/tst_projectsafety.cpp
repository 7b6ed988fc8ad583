// A project stays intact and the user gets a clear message when the file cannot be written:
// opened by a second studio or CLI, read-only, from a newer studio, or the disk fills up.
#include "testsupport.h"

#include "store/projectlock.h"
#include "store/schema.h"

#include <QProcess>
#include <QSysInfo>

using namespace rs;

namespace {

QByteArray jsonl(int from, int count, int responseBytes)
{
    QByteArray out;
    const QByteArray filler(responseBytes, 'x');
    for (int i = from; i < from + count; ++i)
        out += "{\"q\":\"prompt " + QByteArray::number(i) + "\",\"a\":\"" + filler + ' '
               + QByteArray::number(i) + "\",\"m\":\"gen\"}\n";
    return out;
}

Expected<import::ImportResult> importJsonl(store::ProjectStore &store, const QString &file)
{
    import::ImportConfig config;
    config.files = {file};
    config.format = import::Format::Jsonl;
    config.map = {QStringLiteral("q"), QStringLiteral("a"), QStringLiteral("m"), {}};
    return import::importFiles(store, config);
}

QString integrity(const QString &path)
{
    auto db = store::Database::open(path, store::Database::Mode::ReadOnly);
    auto st = db->prepare("PRAGMA integrity_check");
    if (!st || !st->step().value())
        return QStringLiteral("no answer");
    return st->columnText(0);
}

} // namespace

class ProjectSafety final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void secondOpen_isRefusedWithMessage_untilTheFirstCloses()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("p.rubrics"));
        auto first = store::ProjectStore::create(path);
        QVERIFY(first.ok());
        QVERIFY(importJsonl(*first.value(), test::writeFile(dir, QStringLiteral("a.jsonl"),
                                                             jsonl(0, 5, 100)))
                    .ok());
        const QString before = test::fingerprint(path);

        auto second = store::ProjectStore::open(path);
        QVERIFY(!second.ok());
        QVERIFY2(second.error().message.contains(QLatin1String("open in another Rubric Studio")),
                 qPrintable(second.error().toString()));
        QVERIFY(second.error().message.contains(QString::number(QCoreApplication::applicationPid())));

        // Another process (the CLI) is refused too, with the same message and exit status 1.
        QProcess cli;
        cli.start(QStringLiteral(RS_CLI), {QStringLiteral("import"), path,
                                           test::writeFile(dir, QStringLiteral("b.jsonl"),
                                                           jsonl(100, 5, 100)),
                                           QStringLiteral("--format"), QStringLiteral("jsonl"),
                                           QStringLiteral("--map"),
                                           QStringLiteral("prompt=q,response=a,generator=m")});
        QVERIFY(cli.waitForFinished(30000));
        QCOMPARE(cli.exitCode(), 1);
        QVERIFY2(cli.readAllStandardError().contains("open in another Rubric Studio"),
                 "the CLI names the reason");
        QCOMPARE(test::fingerprint(path), before);

        first.value().reset();
        QVERIFY(!QFile::exists(store::ProjectLock::lockPath(path)));
        auto third = store::ProjectStore::open(path);
        QVERIFY2(third.ok(), qPrintable(third.ok() ? QString() : third.error().toString()));
    }

    void lockLeftByKilledProcess_isTakenOver()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("p.rubrics"));
        test::newProject(dir).reset();
        // What a SIGKILLed studio leaves behind: a lock naming a process that no longer runs.
        QProcess gone;
        gone.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), QStringLiteral("echo $$")});
        QVERIFY(gone.waitForFinished(10000));
        const QByteArray deadPid = gone.readAllStandardOutput().trimmed();
        test::writeFile(dir, QStringLiteral("p.rubrics.lock"),
                        deadPid + "\nrubric-studio\n" + QSysInfo::machineHostName().toUtf8() + "\n");
        auto s = store::ProjectStore::open(path);
        QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().toString()));
    }

    void readOnlyFile_isRefusedAndLeftUntouched()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("p.rubrics"));
        {
            auto s = test::newProject(dir);
            QVERIFY(importJsonl(*s, test::writeFile(dir, QStringLiteral("a.jsonl"), jsonl(0, 3, 50)))
                        .ok());
        }
        const QString before = test::fingerprint(path);
        QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther));
        auto s = store::ProjectStore::open(path);
        QVERIFY(!s.ok());
        QVERIFY2(s.error().message.contains(QLatin1String("read-only")),
                 qPrintable(s.error().toString()));
        QVERIFY(!QFile::exists(store::ProjectLock::lockPath(path)));
        QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner));
        QCOMPARE(test::fingerprint(path), before);
    }

    void newerSchema_isRefusedByTheCli()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("future.rubrics"));
        test::newProject(dir, QStringLiteral("future.rubrics")).reset();
        {
            auto db = store::Database::open(path, store::Database::Mode::ReadWrite);
            QVERIFY(db->exec("PRAGMA user_version = 42").ok());
        }
        QProcess cli;
        cli.start(QStringLiteral(RS_CLI), {QStringLiteral("stats"), path});
        QVERIFY(cli.waitForFinished(30000));
        QCOMPARE(cli.exitCode(), 1);
        QVERIFY(cli.readAllStandardError().contains("schema version 42, newer than"));
    }

    void diskFull_rollsTheImportBack_andTheProjectStaysUsable()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("p.rubrics"));
        auto s = test::newProject(dir);
        QVERIFY(importJsonl(*s, test::writeFile(dir, QStringLiteral("a.jsonl"), jsonl(0, 10, 200)))
                    .ok());
        const QString before = test::fingerprint(path);

        // The disk fills up: SQLite may not grow the file past its current size.
        QVERIFY(s->writer()
                    .write([](store::Database &db) -> Expected<void> {
                        auto pages = db.scalar("PRAGMA page_count");
                        if (!pages)
                            return pages.error();
                        return db.exec("PRAGMA max_page_count = " + std::to_string(pages.value()));
                    })
                    .ok());
        const QString big = test::writeFile(dir, QStringLiteral("big.jsonl"), jsonl(1000, 400, 4000));
        auto full = importJsonl(*s, big);
        QVERIFY(!full.ok());
        QVERIFY2(full.error().message.contains(QLatin1String("disk is full")),
                 qPrintable(full.error().toString()));
        QVERIFY(full.error().message.contains(QLatin1String("rolled back")));
        QCOMPARE(test::fingerprint(path), before);
        QCOMPARE(integrity(path), QStringLiteral("ok"));

        // Space is freed: the same import goes through on the same open project.
        QVERIFY(s->writer()
                    .write([](store::Database &db) { return db.exec("PRAGMA max_page_count = 1073741823"); })
                    .ok());
        auto again = importJsonl(*s, big);
        QVERIFY2(again.ok(), qPrintable(again.ok() ? QString() : again.error().toString()));
        QCOMPARE(again->responsesAdded, 400);
    }
};

QTEST_GUILESS_MAIN(ProjectSafety)
#include "tst_projectsafety.moc"
