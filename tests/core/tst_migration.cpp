// Projects from older schema versions open and migrate without losing anything; foreign and
// newer files are refused with a message.
#include "testsupport.h"

#include "store/schema.h"

using namespace rs;

class Migration final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void v1FixtureMigratesToCurrent()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("old.rubrics"));
        {
            QFile sql(QStringLiteral(RS_TEST_FIXTURES "/project-v1.sql"));
            QVERIFY(sql.open(QIODevice::ReadOnly));
            auto db = store::Database::open(path, store::Database::Mode::ReadWriteCreate);
            QVERIFY(db.ok());
            QVERIFY(db->exec(sql.readAll().toStdString()).ok());
        }
        auto s = store::ProjectStore::open(path);
        QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().toString()));

        auto db = store::Database::open(path, store::Database::Mode::ReadOnly);
        QCOMPARE(store::schema::version(db.value()).value(), store::schema::kCurrentVersion);
        // Data survived, and the new columns were derived from it.
        QCOMPARE(db->scalar("SELECT count(*) FROM responses").value(), 3);
        QCOMPARE(db->scalar("SELECT length FROM responses WHERE id = 3").value(),
                 qint64(QStringLiteral("Old columns wait — étables grow new fields — the schema moves on.").size()));
        QCOMPARE(db->scalar("SELECT is_empty FROM responses WHERE id = 2").value(), 1);
        QCOMPARE(db->scalar("SELECT head_version_id FROM rubrics WHERE id = 1").value(), 2);

        const ProjectStats st = test::stats(*s.value());
        QCOMPARE(st.prompts, 2);
        QCOMPARE(st.criteria, 3); // the head version's, not the parent's
        QCOMPARE(st.emptyResponses, 1);

        // The migrated project takes new work like a new one.
        auto reader = s.value()->reader();
        auto rubric = reader->rubric(1);
        QVERIFY(rubric.ok() && rubric->has_value());
        QCOMPARE((*rubric)->versionCount, 2);
        QCOMPARE((*rubric)->criteria.at(1).text,
                 QStringLiteral("Explains that blue light is scattered more than red light."));
        QVERIFY(db->scalar("SELECT count(*) FROM judge_runs").ok());
    }

    void everyIntermediateVersionMigrates()
    {
        for (int v = 1; v <= store::schema::kCurrentVersion; ++v) {
            QTemporaryDir dir;
            const QString path = dir.filePath(QStringLiteral("v.rubrics"));
            {
                auto db = store::Database::open(path, store::Database::Mode::ReadWriteCreate);
                QVERIFY(store::schema::createAtVersion(db.value(), v).ok());
            }
            auto s = store::ProjectStore::open(path);
            QVERIFY2(s.ok(), qPrintable(QString::number(v)));
        }
    }

    void newerSchemaIsRefused()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("future.rubrics"));
        {
            auto s = test::newProject(dir, QStringLiteral("future.rubrics"));
        }
        {
            auto db = store::Database::open(path, store::Database::Mode::ReadWrite);
            QVERIFY(db->exec("PRAGMA user_version = 99").ok());
        }
        const QString before = test::fingerprint(path);
        auto s = store::ProjectStore::open(path);
        QVERIFY(!s.ok());
        QVERIFY2(s.error().message.contains(QLatin1String("schema version 99, newer than")),
                 qPrintable(s.error().toString()));
        QCOMPARE(test::fingerprint(path), before);
    }

    void foreignFilesAreRefused()
    {
        QTemporaryDir dir;
        const QString text = test::writeFile(dir, QStringLiteral("notes.txt"), "just some text\n");
        auto a = store::ProjectStore::open(text);
        QVERIFY(!a.ok());
        QVERIFY(a.error().toString().startsWith(text));

        const QString other = dir.filePath(QStringLiteral("other.sqlite"));
        {
            auto db = store::Database::open(other, store::Database::Mode::ReadWriteCreate);
            QVERIFY(db->exec("CREATE TABLE t(x)").ok());
        }
        auto b = store::ProjectStore::open(other);
        QVERIFY(!b.ok());
        QVERIFY(b.error().message.contains(QLatin1String("not a Rubric Studio project")));

        auto c = store::ProjectStore::create(other);
        QVERIFY(!c.ok());
        QVERIFY(c.error().message.contains(QLatin1String("exists already")));
    }
};

QTEST_GUILESS_MAIN(Migration)
#include "tst_migration.moc"
