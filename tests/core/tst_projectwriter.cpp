// The single writer batches concurrent jobs and every write is visible once write() returns.
#include "testsupport.h"

#include <atomic>
#include <thread>

using namespace rs;

class ProjectWriterTest final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void concurrentWritesAreAllCommitted()
    {
        QTemporaryDir dir;
        auto s = test::newProject(dir);
        std::atomic<int> failures{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&, t] {
                for (int i = 0; i < 50; ++i) {
                    auto r = s->writer().write([&](store::Database &db) -> Expected<void> {
                        auto st = db.prepare("INSERT INTO prompts(text) VALUES(?1)");
                        if (!st)
                            return st.error();
                        st->bind(1, QStringLiteral("t%1-%2").arg(t).arg(i));
                        return st->run();
                    });
                    if (!r)
                        ++failures;
                }
            });
        }
        for (auto &th : threads)
            th.join();
        QCOMPARE(failures.load(), 0);
        // A separate connection sees every row: each write was committed when it returned.
        auto db = store::Database::open(s->path(), store::Database::Mode::ReadOnly);
        QCOMPARE(db->scalar("SELECT count(*) FROM prompts").value(), 200);
    }

    void failingJobRollsBackAloneInItsBatch()
    {
        QTemporaryDir dir;
        auto s = test::newProject(dir);
        auto insert = [](const char *text) {
            return [text](store::Database &db) -> Expected<void> {
                auto st = db.prepare("INSERT INTO prompts(text) VALUES(?1)");
                if (!st)
                    return st.error();
                st->bind(1, std::string_view(text));
                return st->run();
            };
        };
        auto a = s->writer().post(insert("a"));
        auto bad = s->writer().post([](store::Database &db) -> Expected<void> {
            if (auto r = db.exec("INSERT INTO prompts(text) VALUES('half')"); !r)
                return r;
            return db.exec("INSERT INTO no_such_table VALUES(1)");
        });
        auto b = s->writer().post(insert("b"));
        QVERIFY(a.get().ok());
        QVERIFY(!bad.get().ok());
        QVERIFY(b.get().ok());
        auto db = store::Database::open(s->path(), store::Database::Mode::ReadOnly);
        QCOMPARE(db->scalar("SELECT count(*) FROM prompts").value(), 2);
        QCOMPARE(db->scalar("SELECT count(*) FROM prompts WHERE text = 'half'").value(), 0);
    }

    void projectUsesWalAndForeignKeys()
    {
        QTemporaryDir dir;
        auto s = test::newProject(dir);
        auto db = store::Database::open(s->path(), store::Database::Mode::ReadOnly);
        auto mode = db->prepare("PRAGMA journal_mode");
        QVERIFY(mode->step().value());
        QCOMPARE(mode->columnText(0), QStringLiteral("wal"));
        auto r = s->writer().write([](store::Database &w) {
            return w.exec("INSERT INTO responses(prompt_id, generator, text, text_hash)"
                          " VALUES(999, 'g', 't', 1)");
        });
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.contains(QLatin1String("FOREIGN KEY")));
    }
};

QTEST_GUILESS_MAIN(ProjectWriterTest)
#include "tst_projectwriter.moc"
