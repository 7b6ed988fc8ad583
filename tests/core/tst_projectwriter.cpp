// The single writer batches concurrent jobs and every write is visible once write() returns.
#include "testsupport.h"

#include <QFileInfo>

#include <sqlite3.h>

#include <atomic>
#include <future>
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

    // The writer's commits never run a checkpoint themselves (it would stop every reward and
    // verdict waiting on the writer): a thread of its own copies the log back into the file.
    // Were it missing, the log would only grow and the project file would stay as created.
    void aCommitIntervalGathersJobsIntoOneTransaction() {
        // The reward server's setting: jobs posted within the interval after a commit share the
        // next one, each still in its own savepoint, and stopping does not wait out an interval.
        QTemporaryDir dir;
        auto s = test::newProject(dir);
        std::atomic<int> commits{0};
        auto countCommits = [&commits](store::Database &db) -> Expected<void> {
            sqlite3_commit_hook(
                db.handle(),
                [](void *n) {
                    ++*static_cast<std::atomic<int> *>(n);
                    return 0;
                },
                &commits);
            return {};
        };
        QVERIFY(s->writer().write(countCommits).ok());
        QCOMPARE(commits.load(), 1);
        // Long enough that the posts below (microseconds apart) all fall inside it.
        s->writer().setCommitInterval(std::chrono::seconds(1));
        std::vector<std::future<Expected<void>>> posted;
        for (int i = 0; i < 20; ++i)
            posted.push_back(s->writer().post([i, bad = i ==
                                                        7](store::Database &db) -> Expected<void> {
                if (bad)
                    return makeError(QStringLiteral("job 7 fails alone"));
                return db.exec("INSERT INTO prompts(text) VALUES('p" + std::to_string(i) + "')");
            }));
        for (int i = 0; i < 20; ++i)
            QCOMPARE(posted[std::size_t(i)].get().ok(), i != 7);
        QCOMPARE(commits.load(), 2);
        auto db = store::Database::open(s->path(), store::Database::Mode::ReadOnly);
        QCOMPARE(db->scalar("SELECT count(*) FROM prompts").value(), 19);

        s->writer().setCommitInterval(std::chrono::hours(1));
        auto last = s->writer().post([](store::Database &db) {
            return db.exec("INSERT INTO prompts(text) VALUES('last')");
        });
        s.reset(); // closing the project commits what is queued at once
        QVERIFY(last.get().ok());
        QCOMPARE(db->scalar("SELECT count(*) FROM prompts").value(), 20);
    }

    void longLogIsCopiedBackIntoTheProjectFile() {
        QTemporaryDir dir;
        auto s = test::newProject(dir);
        const qint64 created = QFileInfo(s->path()).size();
        const std::string big(12000, 'x'); // a page of its own, or nearly, per row
        for (int batch = 0; batch < 15; ++batch) {
            auto r = s->writer().write([&](store::Database &db) -> Expected<void> {
                auto st = db.prepare("INSERT INTO prompts(text) VALUES(?1)");
                if (!st)
                    return st.error();
                for (int i = 0; i < 100; ++i) {
                    st->reset();
                    st->bind(1, std::to_string(batch * 100 + i) + big);
                    if (auto done = st->run(); !done)
                        return done;
                }
                return {};
            });
            QVERIFY(r.ok());
        }
        // 1,500 rows of 12 KB: past the checkpoint threshold of 1,000 pages of 16 KiB.
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(s->path()).size() > created + 10 * 1024 * 1024, 60000);
        auto db = store::Database::open(s->path(), store::Database::Mode::ReadOnly);
        QCOMPARE(db->scalar("SELECT count(*) FROM prompts").value(), 1500);
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
