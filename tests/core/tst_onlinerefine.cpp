// Online refinement (refine --from-step): RTD on the responses `serve` rewarded at one training
// step. A project of five AlpacaEval prompts holds the answers of all but four models (the
// offline pool) and generated rubrics; the reward server, in process against the local LLM test
// server, rewards the other models' answers as the policy's: step 10 on prompts 1–2, step 20 on
// prompts 3–5. The pool is compared with a plain SQL query over served_rewards, the rounds with
// the rewards serve logged, and the test server's judge counter shows that serve's verdicts
// are reused (no judge call, even with the cache bypassed). Also: the seeded sample's bound, the
// errors for a step without served responses, a series per step, the running serve rewarding
// with the new version, and the CLI.
#include "authoring/generationrunner.h"
#include "authoring/rtdrounds.h"
#include "authoring/rtdrunner.h"
#include "authoringsupport.h"
#include "llm/llmscheduler.h"
#include "rubric/rubricversions.h"
#include "servesupport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <map>

using namespace rs;

namespace {

const char kToken[] = "online-refine-token";
const QString kModel = QStringLiteral("rs-test-judge");

/// Prompt id → response ids, as the test reads them.
using PoolMap = QMap<qint64, QList<qint64>>;

/// The responses rewarded at `step` whose text is not blank, each once, read independently of
/// the runner: its own query, whitespace tested on the text rather than the is_empty flag.
PoolMap servedAt(store::Database &db, qint64 step) {
    PoolMap out;
    auto st =
        db.prepare("SELECT r.prompt_id, r.id FROM responses r WHERE r.id IN"
                   " (SELECT response_id FROM served_rewards WHERE step = ?1 AND status = 'ok')"
                   " AND trim(r.text, ' ' || char(9) || char(10) || char(13)) <> ''"
                   " ORDER BY r.prompt_id, r.id");
    st->bind(1, std::int64_t(step));
    while (st->step().value())
        out[st->columnInt(0)].push_back(st->columnInt(1));
    return out;
}

/// The reward serve logged for a response at a step.
double servedReward(store::Database &db, qint64 step, qint64 responseId) {
    auto st = db.prepare("SELECT reward FROM served_rewards WHERE step = ?1 AND response_id = ?2"
                         " AND status = 'ok' ORDER BY id LIMIT 1");
    st->bind(1, std::int64_t(step));
    st->bind(2, std::int64_t(responseId));
    if (!st->step().value())
        qFatal("no served reward for response %lld", responseId);
    return st->columnDouble(0);
}

/// What the test server answered for a role (judge, rewrite, ...); -1 when it cannot say.
qint64 callsFor(const test::ServerProcess &server, const char *role) {
    return server.stats()
        .value(QStringLiteral("by_role"))
        .toObject()
        .value(QLatin1String(role))
        .toInteger(-1);
}

qint64 count(const PoolMap &m) {
    qint64 n = 0;
    for (const auto &ids : m)
        n += ids.size();
    return n;
}

/// The first five instructions of the corpus's first model file, and each model's answer to
/// them (empty string: the model did not answer).
struct Answers {
    QStringList prompts;
    QList<QStringList> byModel; ///< [model][prompt]
};

Answers readAnswers(test::Corpus corpus) {
    Answers a;
    for (const QString &f : test::alpacaModelFiles(corpus)) {
        QFile file(f);
        if (!file.open(QIODevice::ReadOnly))
            qFatal("cannot read %s", qPrintable(f));
        const QJsonArray rows = QJsonDocument::fromJson(file.readAll()).array();
        if (a.prompts.isEmpty())
            for (int i = 0; i < 5 && i < rows.size(); ++i)
                a.prompts << rows[i].toObject().value(QStringLiteral("instruction")).toString();
        QStringList answers(a.prompts.size());
        for (const auto &v : rows) {
            const QJsonObject o = v.toObject();
            const qsizetype i =
                a.prompts.indexOf(o.value(QStringLiteral("instruction")).toString());
            if (i >= 0)
                answers[i] = o.value(QStringLiteral("output")).toString();
        }
        a.byModel << answers;
    }
    return a;
}

} // namespace

class OnlineRefine final : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    test::ServerProcess m_server;

    judge::JudgeConfig judgeConfig() const {
        // As `serve --base-url URL --model M` and `refine --base-url URL --model M` build it.
        judge::JudgeConfig c;
        c.provider.name = m_server.baseUrl() + QStringLiteral("/v1");
        c.provider.baseUrl = c.provider.name;
        c.provider.model = kModel;
        c.provider.maxConcurrency = 8;
        c.provider.timeoutMs = 5000;
        return c;
    }

    /// Rewards these (prompt id, text) items at `step` through serve's HTTP endpoint.
    static bool serve(quint16 port, qint64 step, const QList<std::pair<qint64, QString>> &items) {
        nlohmann::json body{{"step", step}, {"items", nlohmann::json::array()}};
        for (const auto &[prompt, text] : items)
            body["items"].push_back({{"prompt_id", prompt}, {"response", text.toStdString()}});
        const auto reply = test::httpRequest(
            port, test::post("/v1/rewards", body.dump(), std::string("Bearer ") + kToken));
        return reply.status == 200;
    }

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        QVERIFY(m_server.start());
    }

    void refineOnAServedStep_data() { test::addCorpusRows(); }
    void refineOnAServedStep() {
        RS_FETCH_CORPUS(test::alpacaDir);
        const Answers answers = readAnswers(corpus);
        const qsizetype models = answers.byModel.size();
        QVERIFY(models >= 6 && answers.prompts.size() == 5);

        // The offline pool: every model's answers but the last four's.
        const QString path =
            m_dir.filePath(test::corpusName(corpus) + QStringLiteral("-online.rubrics"));
        {
            auto created = store::ProjectStore::create(path);
            QVERIFY(created.ok());
            QJsonArray rollouts;
            for (qsizetype p = 0; p < 5; ++p) {
                QJsonArray responses;
                for (qsizetype m = 0; m < models - 4; ++m)
                    if (!answers.byModel[m][p].isNull())
                        responses.push_back(
                            QJsonObject{{QStringLiteral("generator"), QStringLiteral("m%1").arg(m)},
                                        {QStringLiteral("response"), answers.byModel[m][p]}});
                rollouts.push_back(QJsonObject{{QStringLiteral("prompt"), answers.prompts[p]},
                                               {QStringLiteral("responses"), responses}});
            }
            import::ImportConfig c;
            c.files << test::writeFile(m_dir,
                                       test::corpusName(corpus) + QStringLiteral("-offline.json"),
                                       QJsonDocument(rollouts).toJson());
            c.format = import::Format::Rollouts;
            QVERIFY(import::importFiles(*created.value(), c).ok());
            llm::LlmScheduler scheduler(llm::PriceTable(), created->get());
            authoring::GenerationRunner gen(*created.value(), scheduler);
            authoring::GenerationConfig g;
            g.providers.proposer = judgeConfig().provider;
            QVERIFY(gen.run(g, {}).ok());
        }

        // serve opens the project shared, as `rubric-studio-cli serve` does, so refine can run
        // beside it.
        auto store = store::ProjectStore::openShared(path);
        QVERIFY(store.ok());
        auto db = store::Database::open(path, store::Database::Mode::ReadOnly);
        QVERIFY(db.ok());
        QList<qint64> promptIds;
        for (const QString &text : answers.prompts) {
            auto st = db->prepare("SELECT id FROM prompts WHERE text = ?1");
            st->bind(1, text);
            QVERIFY(st->step().value());
            promptIds << st->columnInt(0);
        }
        const qint64 offlineResponses = db->scalar("SELECT count(*) FROM responses").value();

        auto scheduler = std::make_unique<llm::LlmScheduler>(llm::PriceTable(), store->get());
        auto stack = test::startServeStack(*store.value(), *scheduler, judgeConfig(), kToken);
        QVERIFY(stack);
        // Step 10: prompts 1-2, three of the held-back models; step 20: prompts 3-5, all four.
        QList<std::pair<qint64, QString>> step10, step20;
        for (qsizetype p = 0; p < 5; ++p)
            for (qsizetype m = models - 4; m < models; ++m) {
                const QString &text = answers.byModel[m][p];
                if (text.isNull())
                    continue;
                if (p < 2 && m < models - 1)
                    step10.push_back({promptIds[p], text});
                else if (p >= 2)
                    step20.push_back({promptIds[p], text});
            }
        QVERIFY(serve(stack->port, 10, step10));
        QVERIFY(serve(stack->port, 20, step20));
        QVERIFY(serve(stack->port, 20, step20.mid(0, 2))); // served twice: still one response each
        const qint64 serveRun = stack->service->runId();
        QCOMPARE(db->scalar("SELECT count(*) FROM responses WHERE generator = 'policy'").value(),
                 db->scalar("SELECT count(*) FROM responses").value() - offlineResponses);

        const PoolMap expected10 = servedAt(db.value(), 10);
        const PoolMap expected20 = servedAt(db.value(), 20);
        QCOMPARE(expected10.keys(), (QList<qint64>{promptIds[0], promptIds[1]}));
        QCOMPARE(expected20.keys(), (QList<qint64>{promptIds[2], promptIds[3], promptIds[4]}));

        authoring::RtdRunner runner(*store.value(), *scheduler);
        authoring::RtdConfig config;
        config.providers.proposer = judgeConfig().provider;
        config.judge = judgeConfig();
        config.rounds = 1;

        // The pool is exactly the step's served responses; latest is step 20.
        config.servedPool = authoring::ServedPool{10, 0};
        auto pool10 = runner.pool(config);
        QVERIFY2(pool10.ok(), qPrintable(pool10.error().toString()));
        QCOMPARE(pool10->responses, expected10);
        QCOMPARE(pool10->servedStep, std::optional<qint64>(10));
        QCOMPARE(pool10->servedResponses, count(expected10));
        QCOMPARE(pool10->servedRuns, QSet<qint64>{serveRun});
        config.servedPool = authoring::ServedPool{std::nullopt, 0};
        auto latest = runner.pool(config);
        QVERIFY(latest.ok());
        QCOMPARE(latest->servedStep, std::optional<qint64>(20));
        QCOMPARE(latest->responses, expected20);
        // --prompts narrows it further.
        config.promptIds = {promptIds[3]};
        QCOMPARE(runner.pool(config)->responses,
                 (PoolMap{{promptIds[3], expected20.value(promptIds[3])}}));
        config.promptIds = {promptIds[0]};
        QVERIFY(!runner.pool(config).ok()); // step 20 served nothing for prompt 1
        config.promptIds.clear();

        // A sample keeps at most K of each prompt's served responses, the same ones for the same
        // seed; some other seed draws others.
        bool someOver = false, seedMatters = false;
        for (std::uint64_t seed = 1; seed <= 12; ++seed) {
            config.seed = seed;
            config.servedPool = authoring::ServedPool{20, 2};
            auto sampled = runner.pool(config);
            QVERIFY(sampled.ok());
            QCOMPARE(sampled->responses.keys(), expected20.keys());
            QCOMPARE(sampled->servedResponses, count(expected20)); // before sampling
            for (auto it = expected20.cbegin(); it != expected20.cend(); ++it) {
                const QList<qint64> got = sampled->responses.value(it.key());
                QCOMPARE(got.size(), std::min<qsizetype>(2, it->size()));
                for (qint64 id : got)
                    QVERIFY(it->contains(id));
                someOver = someOver || it->size() > 2;
            }
            QCOMPARE(runner.pool(config)->responses, sampled->responses);
            config.seed = 1;
            seedMatters = seedMatters || runner.pool(config)->responses != sampled->responses;
        }
        QVERIFY(someOver);
        QVERIFY(seedMatters);
        config.seed = 1;

        // A step without served responses is an error naming it; so is a sample of one.
        config.servedPool = authoring::ServedPool{15, 0};
        auto none = runner.pool(config);
        QVERIFY(!none.ok());
        QVERIFY2(none.error().message.contains(QLatin1String("step 15")),
                 qPrintable(none.error().message));
        QVERIFY(!runner.run(config, {}).ok());
        config.servedPool = authoring::ServedPool{10, 1};
        QVERIFY(!runner.pool(config).ok());

        // One round on step 10, the cache bypassed so any planned judge call would reach the
        // server: none does. The round's judge run is serve's, its scores are the rewards serve
        // logged, and its pair is the top two of the step's responses by those rewards.
        config.servedPool = authoring::ServedPool{10, 0};
        llm::JobOptions bypass;
        bypass.bypassCache = true;
        const qint64 judgedBefore = callsFor(m_server, "judge");
        const qint64 rewritesBefore = callsFor(m_server, "rewrite");
        QVERIFY(judgedBefore > 0); // serve's own judging went there
        auto result = runner.run(config, bypass);
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
        QCOMPARE(callsFor(m_server, "judge"), judgedBefore);
        QCOMPARE(callsFor(m_server, "rewrite"), rewritesBefore + 2); // the server was reached
        QCOMPARE(result->judgeRunId, serveRun);
        QCOMPARE(result->pool.responses, expected10);
        QCOMPARE(result->prompts, 2);
        QCOMPARE(result->roundsDone, 2);
        for (auto it = expected10.cbegin(); it != expected10.cend(); ++it) {
            auto rounds = authoring::listRounds(db.value(), it.key());
            QCOMPARE(rounds->size(), 1);
            const authoring::RtdRound &r = rounds->first();
            QCOMPARE(r.poolSize, int(it->size()));
            QCOMPARE(r.judgeRunId, serveRun);
            QList<std::pair<double, qint64>> ranked;
            for (qint64 id : *it)
                ranked.push_back({servedReward(db.value(), 10, id), id});
            std::sort(ranked.begin(), ranked.end(), [](const auto &x, const auto &y) {
                return x.first != y.first ? x.first > y.first : x.second < y.second;
            });
            QCOMPARE(r.responseA, ranked[0].second);
            QCOMPARE(r.responseB, ranked[1].second);
            QCOMPARE(r.scoreA, ranked[0].first);
            QCOMPARE(r.scoreB, ranked[1].first);
            auto versions = rubric::listVersions(db.value(), it.key());
            QCOMPARE(versions->last().detail.value(QStringLiteral("served_step")).toInteger(), 10);
        }

        // A series belongs to its step: step 10 again has nothing left to do.
        auto again = runner.run(config, {});
        QVERIFY(again.ok());
        QCOMPARE(again->roundsDone, 0);
        QCOMPARE(again->roundsBefore, 2);

        // The CLI, beside the running serve: latest (step 20) with a sample of two per prompt.
        // Prompts 3-5 still have the rubrics serve judged with, so again no judge call.
        const QString url = m_server.baseUrl() + QStringLiteral("/v1");
        auto cli = [&](const QStringList &args, QByteArray *out, QByteArray *err) {
            QProcess p;
            p.start(QStringLiteral(RS_CLI), QStringList{QStringLiteral("refine"), path} + args);
            const int code = p.waitForFinished(120000) ? p.exitCode() : -1;
            if (out)
                *out = p.readAllStandardOutput();
            if (err)
                *err = p.readAllStandardError();
            return code;
        };
        const QStringList provider{QStringLiteral("--base-url"), url, QStringLiteral("--model"),
                                   kModel};
        QByteArray out, err;
        QCOMPARE(cli(QStringList{QStringLiteral("--from-step"), QStringLiteral("15")} + provider,
                     nullptr, &err),
                 1);
        QVERIFY2(err.contains("step 15 has no served responses"), err.constData());
        QCOMPARE(cli(QStringList{QStringLiteral("--sample"), QStringLiteral("2")} + provider,
                     nullptr, nullptr),
                 2);
        QCOMPARE(cli(QStringList{QStringLiteral("--from-step"), QStringLiteral("latest"),
                                 QStringLiteral("--sample"), QStringLiteral("1")} +
                         provider,
                     nullptr, nullptr),
                 2);
        QCOMPARE(cli(QStringList{QStringLiteral("--from-step"), QStringLiteral("x")} + provider,
                     nullptr, nullptr),
                 2);

        const qint64 judgedBeforeCli = callsFor(m_server, "judge");
        const int code =
            cli(QStringList{QStringLiteral("--from-step"), QStringLiteral("latest"),
                            QStringLiteral("--sample"), QStringLiteral("2"),
                            QStringLiteral("--rounds"), QStringLiteral("1"),
                            QStringLiteral("--bypass-cache"), QStringLiteral("--json")} +
                    provider,
                &out, &err);
        QVERIFY2(code == 0, err.constData());
        QCOMPARE(callsFor(m_server, "judge"), judgedBeforeCli);
        qint64 sampledTotal = 0;
        for (const auto &ids : expected20)
            sampledTotal += std::min<qsizetype>(2, ids.size());
        QVERIFY2(err.contains(QStringLiteral("pool: step 20, %1 served responses over 3 prompts")
                                  .arg(sampledTotal)
                                  .toUtf8()),
                 err.constData());
        const QJsonObject summary = QJsonDocument::fromJson(out).object();
        QCOMPARE(summary.value(QStringLiteral("served_step")).toInteger(), 20);
        QCOMPARE(summary.value(QStringLiteral("pool_prompts")).toInteger(), 3);
        QCOMPARE(summary.value(QStringLiteral("pool_responses")).toInteger(), sampledTotal);
        QCOMPARE(summary.value(QStringLiteral("judge_run")).toInteger(), serveRun);
        QCOMPARE(summary.value(QStringLiteral("rounds_done")).toInteger(), 3);
        for (auto it = expected20.cbegin(); it != expected20.cend(); ++it) {
            auto rounds = authoring::listRounds(db.value(), it.key());
            QCOMPARE(rounds->size(), 1);
            QCOMPARE(rounds->first().poolSize, int(std::min<qsizetype>(2, it->size())));
            QVERIFY(it->contains(rounds->first().responseA) &&
                    it->contains(rounds->first().responseB));
            QCOMPARE(rounds->first().judgeRunId, serveRun);
        }

        // The running serve rewards with the new versions, without a restart.
        QVERIFY(serve(stack->port, 30, {step10.first(), step20.first()}));
        for (const auto &item : {step10.first(), step20.first()}) {
            auto st = db->prepare("SELECT rubric_version_id FROM served_rewards s"
                                  " JOIN responses r ON r.id = s.response_id"
                                  " WHERE s.step = 30 AND r.prompt_id = ?1");
            st->bind(1, std::int64_t(item.first));
            QVERIFY(st->step().value());
            const auto head = rubric::loadHead(db.value(), item.first);
            QCOMPARE(st->columnInt(0), head->versionId);
            QCOMPARE(rubric::listVersions(db.value(), item.first)->last().origin,
                     QStringLiteral("rtd"));
        }
        stack.reset();
    }

    void latestWithoutAnyServedStepIsAnError() {
        auto store = test::newProject(m_dir, QStringLiteral("unserved.rubrics"));
        auto db = store::Database::open(store->path(), store::Database::Mode::ReadOnly);
        auto r = authoring::loadServedResponses(db.value(), authoring::ServedPool{}, 1);
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.contains(QLatin1String("no training step")));
    }
};

QTEST_GUILESS_MAIN(OnlineRefine)
#include "tst_onlinerefine.moc"
