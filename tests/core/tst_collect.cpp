// Collecting candidate responses from several models through the local test server: n samples
// per prompt and model stored with their generator, tier and off-policy flag; a re-run asks for
// nothing; rewrites of existing responses are stored under their own generator names. On the
// AlpacaEval-format fixture always, and on the shared data when present.
#include "authoring/collectrunner.h"
#include "authoringsupport.h"
#include "llm/llmscheduler.h"

using namespace rs;

class Collect final : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void samplesFromSeveralModels_data() { test::addCorpusRows(); }
    void samplesFromSeveralModels()
    {
        RS_FETCH_CORPUS(test::alpacaDir);
        auto store = test::alpacaProject(corpus, m_dir, QStringLiteral("collect.rubrics"), 3);
        test::ServerProcess server;
        QVERIFY(server.start());
        llm::LlmScheduler scheduler(llm::PriceTable(), store.get());
        authoring::CollectRunner runner(*store, scheduler);
        authoring::CollectConfig c;
        c.models = {test::serverProvider(server, QStringLiteral("model-a")),
                    test::serverProvider(server, QStringLiteral("model-b"))};
        c.n = 3;
        c.temperature = 0.9;
        c.tier = QStringLiteral("great");
        c.offPolicy = true;
        auto pv = runner.preview(c, llm::PriceTable(), false);
        QVERIFY(pv.ok());
        QCOMPARE(pv->calls, 18);
        auto result = runner.run(c, {});
        QVERIFY(result.ok());
        QCOMPARE(result->planned, 18);
        QCOMPARE(result->stored, 18); // 3 prompts x 2 models x 3 samples
        QCOMPARE(result->failed, 0);

        auto db = store::Database::open(store->path(), store::Database::Mode::ReadOnly);
        auto st = db->prepare("SELECT r.generator, r.tier, r.off_policy, r.text, p.text, r.source_file FROM responses r"
                              " JOIN prompts p ON p.id = r.prompt_id WHERE r.tier = 'great' ORDER BY r.prompt_id, r.generator");
        QStringList generators;
        while (st->step().value()) {
            generators << st->columnText(0);
            QCOMPARE(st->columnInt(2), 1);
            QCOMPARE(st->columnText(5), QStringLiteral("collect"));
            // The server's plain chat echoes the user message: the prompt went out as asked.
            QCOMPARE(st->columnText(3), QStringLiteral("Echo: ") + st->columnText(4).left(200));
        }
        QCOMPARE(generators.size(), 18);
        QCOMPARE(generators.mid(0, 6), (QStringList{QStringLiteral("model-a#1"), QStringLiteral("model-a#2"),
                                                    QStringLiteral("model-a#3"), QStringLiteral("model-b#1"),
                                                    QStringLiteral("model-b#2"), QStringLiteral("model-b#3")}));
        QCOMPARE(db->scalar("SELECT count(*) FROM responses").value(),
                 3 * test::alpacaFacts(corpus).answersPerFirstPrompt + 18);
        // Each sample was its own request (distinct seeds), so all 18 went out, none cached.
        QCOMPARE(db->scalar("SELECT count(*) FROM llm_cache").value(), 18);

        // Resume: everything is there, nothing is asked.
        auto again = runner.run(c, {});
        QVERIFY(again.ok());
        QCOMPARE(again->planned, 0);
        QCOMPARE(again->skipped, 18);
        QCOMPARE(again->calls, 0);

        // Growing n asks only for the new samples.
        c.n = 4;
        auto more = runner.run(c, {});
        QVERIFY(more.ok());
        QCOMPARE(more->planned, 6);
        QCOMPARE(more->stored, 6);
    }

    void rewritesOfExistingResponses_data() { test::addCorpusRows(); }
    void rewritesOfExistingResponses()
    {
        RS_FETCH_CORPUS(test::alpacaDir);
        auto store = test::alpacaProject(corpus, m_dir, QStringLiteral("rewrite.rubrics"), 2);
        test::ServerProcess server;
        QVERIFY(server.start());
        llm::LlmScheduler scheduler(llm::PriceTable(), store.get());
        authoring::CollectRunner runner(*store, scheduler);
        authoring::CollectConfig c;
        c.models = {test::serverProvider(server, QStringLiteral("model-a"))};
        // The first answer to the first prompt and the last answer to the second.
        auto db = store::Database::open(store->path(), store::Database::Mode::ReadOnly);
        c.rewriteResponseIds = {
            db->scalar("SELECT min(id) FROM responses WHERE prompt_id = 1").value(),
            db->scalar("SELECT max(id) FROM responses WHERE prompt_id = 2").value()};
        c.tier = QStringLiteral("rewrite");
        auto result = runner.run(c, {});
        QVERIFY(result.ok());
        QCOMPARE(result->stored, 2);
        auto st = db->prepare("SELECT r.prompt_id, s.prompt_id, r.text FROM responses r, responses s"
                              " WHERE r.generator = 'model-a#rewrite-' || s.id ORDER BY s.id");
        int n = 0;
        while (st->step().value()) {
            QCOMPARE(st->columnInt(0), st->columnInt(1)); // stored with the source's prompt
            QVERIFY(st->columnText(2).startsWith(QLatin1String("Echo: <<<PROMPT")));
            ++n;
        }
        QCOMPARE(n, 2);
        c.rewriteResponseIds = {999};
        QVERIFY(!runner.run(c, {}).ok());
    }
};

QTEST_GUILESS_MAIN(Collect)
#include "tst_collect.moc"
