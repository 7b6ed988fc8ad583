// Reliability of `serve` (the CLI binary, as a trainer runs it): a burst of reward requests,
// the server SIGKILLed in the middle of it and started again on the same project. Every reward
// that was answered before the kill is in the served-rewards log, and the trainer's retry of
// each answered item gets the same reward, to the last bit. No timing is asserted: the kill
// comes after some answers, wherever the burst is.
#include "import/importer.h"
#include "serveprocess.h"
#include "serverprocess.h"
#include "servesupport.h"
#include "store/database.h"
#include "testsupport.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>
#include <QThread>

#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <atomic>
#include <csignal>
#include <fcntl.h>
#include <map>
#include <mutex>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char **environ;

using namespace rs;
using nlohmann::json;

namespace {

using test::httpRequest;
using test::post;
using test::Reply;
using test::ServeProcess;

std::string itemRequest(qint64 promptId, const std::string &response) {
    const json body{{"step", 7},
                    {"items", json::array({{{"prompt_id", promptId}, {"response", response}}})}};
    return post("/v1/rewards", body.dump());
}

} // namespace

class ServeCrashTest final : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    std::unique_ptr<store::ProjectStore> makeProject(const QString &name) {
        return test::newServeProject(m_dir, name);
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void killedMidBurst_answeredRewardsAreLoggedAndRetriesAgree() {
        auto store = makeProject(QStringLiteral("crash.rubrics"));
        const QString project = store->path();
        store.reset(); // the CLI owns the project from here, as in training
        test::ServerProcess judge;
        QVERIFY2(judge.start({QStringLiteral("--latency-ms"), QStringLiteral("40")}),
                 qPrintable(judge.errorString()));
        const QString judgeUrl = judge.baseUrl() + QStringLiteral("/v1");

        ServeProcess serve;
        QVERIFY(serve.start(project, judgeUrl, m_dir.filePath(QStringLiteral("serve1.out"))));

        // The burst: 96 new responses on 12 connections at a time.
        constexpr int kItems = 96;
        constexpr int kClients = 12;
        struct Item {
            qint64 promptId;
            std::string response;
        };
        std::vector<Item> items;
        for (int i = 0; i < kItems; ++i)
            items.push_back({1 + i % 2, "Burst answer " + std::to_string(i) +
                                            (i % 3 ? ", for example, for you." : ".")});
        std::mutex lock;
        std::map<int, json> answered; // item -> its answer
        std::atomic<int> next{0};
        std::atomic<int> done{0};
        std::vector<std::thread> clients;
        for (int c = 0; c < kClients; ++c)
            clients.emplace_back([&, port = serve.port] {
                for (int i; (i = next.fetch_add(1)) < kItems;) {
                    const Reply r = httpRequest(port, itemRequest(items[std::size_t(i)].promptId,
                                                                  items[std::size_t(i)].response));
                    if (r.status == 200 && r.body.contains("items")) {
                        std::lock_guard g(lock);
                        answered[i] = r.body["items"][0];
                    }
                    ++done;
                }
            });
        // SIGKILL once some answers are back, wherever the burst is then.
        QElapsedTimer clock;
        clock.start();
        for (;;) {
            {
                std::lock_guard g(lock);
                if (answered.size() >= 12)
                    break;
            }
            if (done.load() >= kItems || clock.elapsed() > 60000)
                break;
            QThread::msleep(2);
        }
        serve.stop(SIGKILL);
        for (auto &t : clients)
            t.join();
        QVERIFY(!answered.empty());
        if (int(answered.size()) == kItems)
            qWarning("every item was answered before the kill: not a mid-burst kill this time");
        qInfo("%d of %d items answered before SIGKILL", int(answered.size()), kItems);

        // Started again on the same project: it opens (no corruption) and serves.
        ServeProcess again;
        QVERIFY(again.start(project, judgeUrl, m_dir.filePath(QStringLiteral("serve2.out"))));

        // Every answered reward is in the log: the trainer was told nothing the project lost.
        {
            auto db = store::Database::open(project, store::Database::Mode::ReadOnly);
            QVERIFY(db);
            auto st = db->prepare("SELECT count(*) FROM served_rewards s"
                                  " JOIN responses r ON r.id = s.response_id"
                                  " WHERE r.text = ?1 AND s.status = 'ok' AND s.reward = ?2");
            QVERIFY(st);
            for (const auto &[i, a] : answered) {
                st->reset();
                st->bind(1, std::string_view(items[std::size_t(i)].response));
                st->bind(2, a["reward"].get<double>());
                auto row = st->step();
                QVERIFY(row && row.value());
                QVERIFY2(st->columnInt(0) >= 1,
                         qPrintable(QStringLiteral("item %1 (reward %2) was answered but is not "
                                                   "in served_rewards")
                                        .arg(i)
                                        .arg(a["reward"].get<double>())));
            }
        }

        // The trainer's retry of each answered item gets the same reward, from the cache.
        int cached = 0;
        for (const auto &[i, a] : answered) {
            const Reply r = httpRequest(again.port, itemRequest(items[std::size_t(i)].promptId,
                                                                items[std::size_t(i)].response));
            QCOMPARE(r.status, 200);
            const json &got = r.body["items"][0];
            QVERIFY2(got["reward"].get<double>() == a["reward"].get<double>(),
                     qPrintable(QStringLiteral("item %1: %2 after the restart, %3 before")
                                    .arg(i)
                                    .arg(got["reward"].get<double>())
                                    .arg(a["reward"].get<double>())));
            QCOMPARE(got["reward_soft"].get<double>(), a["reward_soft"].get<double>());
            cached += got["cached"].get<bool>();
        }
        QCOMPARE(cached, int(answered.size()));
        QCOMPARE(again.stop(SIGTERM), 0);

        // Its last words on stderr count what it served: the retries, every one from the
        // project (no judge call), none failed.
        QFile err(m_dir.filePath(QStringLiteral("serve2.out.err")));
        QVERIFY(err.open(QIODevice::ReadOnly));
        const QStringList lines =
            QString::fromUtf8(err.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QVERIFY(!lines.isEmpty());
        const QString last = lines.back();
        QVERIFY2(last.startsWith(QStringLiteral("serve: %1 items in ").arg(answered.size())),
                 qPrintable(last));
        QVERIFY2(last.contains(QStringLiteral("judge calls 0 sent, 0 from the cache")),
                 qPrintable(last));
        QVERIFY2(!last.contains(QLatin1String("failed")), qPrintable(last));
        QVERIFY2(last.endsWith(QStringLiteral(" · stopped")), qPrintable(last));
    }
};

QTEST_GUILESS_MAIN(ServeCrashTest)
#include "tst_servecrash.moc"
