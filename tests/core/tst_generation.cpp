// Rubric generation against the local LLM test server: fenced and chatty answers are used,
// an unusable answer goes through the repair model, a hopeless one ends failed with its raw
// text kept and can be retried, and a re-run skips what is already generated. Each case runs on
// the first five prompts of the AlpacaEval-format fixture, and of the shared data when present.
#include "authoring/generationattempts.h"
#include "authoring/generationrunner.h"
#include "authoring/rubricanswer.h"
#include "authoringsupport.h"
#include "llm/llmscheduler.h"
#include "rubric/rubricversions.h"

#include <nlohmann/json.hpp>

using namespace rs;

namespace {

QStringList asLines(const RubricRecord &r)
{
    QStringList out;
    for (const auto &c : r.criteria)
        out << QStringLiteral("%1|%2").arg(c.text).arg(c.weight);
    return out;
}

QString promptText(store::Database &db, qint64 id)
{
    auto st = db.prepare("SELECT text FROM prompts WHERE id = ?1");
    st->bind(1, std::int64_t(id));
    return st->step().value() ? st->columnText(0) : QString();
}

} // namespace

class Generation final : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void answersInAnyShapeAreRead_data()
    {
        QTest::addColumn<QString>("raw");
        QTest::addColumn<int>("count");
        QTest::addColumn<QString>("error"); // a word of the error, empty when it parses
        QTest::newRow("array") << QStringLiteral(R"([{"criterion":"Names a city.","weight":2}])") << 1 << QString();
        QTest::newRow("object") << QStringLiteral(R"({"criteria":[{"criterion":"A.","weight":1},{"criterion":"B.","weight":3}]})") << 2 << QString();
        QTest::newRow("fenced chatter")
            << QStringLiteral("Sure! Here it is:\n```json\n[{\"criterion\": \"Cites a source.\", \"weight\": 3}]\n```\nAnything else?")
            << 1 << QString();
        QTest::newRow("duplicate dropped")
            << QStringLiteral(R"([{"criterion":"A.","weight":1},{"criterion":"a.","weight":2}])") << 1 << QString();
        QTest::newRow("weight too high") << QStringLiteral(R"([{"criterion":"A.","weight":7}])") << 0 << QStringLiteral("weight");
        QTest::newRow("fractional weight") << QStringLiteral(R"([{"criterion":"A.","weight":1.5}])") << 0 << QStringLiteral("weight");
        QTest::newRow("empty text") << QStringLiteral(R"([{"criterion":"  ","weight":1}])") << 0 << QStringLiteral("empty");
        QTest::newRow("no list") << QStringLiteral(R"({"rubric_name":"x"})") << 0 << QStringLiteral("criteria");
        QTest::newRow("prose") << QStringLiteral("I think a good answer should be clear.") << 0 << QStringLiteral("JSON");
        QTest::newRow("empty list") << QStringLiteral("[]") << 0 << QStringLiteral("no criteria");
    }
    void answersInAnyShapeAreRead()
    {
        QFETCH(QString, raw);
        QFETCH(int, count);
        QFETCH(QString, error);
        auto r = authoring::parseRubricAnswer(raw);
        if (error.isEmpty()) {
            QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
            QCOMPARE(r->size(), count);
        } else {
            QVERIFY(!r.ok());
            QVERIFY2(r.error().message.contains(error, Qt::CaseInsensitive), qPrintable(r.error().message));
        }
    }

    void fencedAnswersBecomeTheServersRubric_data() { test::addCorpusRows(); }
    void fencedAnswersBecomeTheServersRubric()
    {
        RS_FETCH_CORPUS(test::alpacaDir);
        auto store = test::alpacaProject(corpus, m_dir, QStringLiteral("fenced.rubrics"));
        test::ServerProcess server;
        // Every answer arrives wrapped in chatter and a ```json fence.
        QVERIFY(server.start({QStringLiteral("--fault-rate"), QStringLiteral("1"), QStringLiteral("--faults"),
                              QStringLiteral("fenced")}));
        llm::LlmScheduler scheduler(llm::PriceTable(), store.get());
        authoring::GenerationRunner runner(*store, scheduler);
        authoring::GenerationConfig c;
        c.providers.proposer = test::serverProvider(server, QStringLiteral("test-proposer"));
        auto result = runner.run(c, {});
        QVERIFY(result.ok());
        QCOMPARE(result->generated, 5);
        QCOMPARE(result->repaired, 0);
        QCOMPARE(result->failed, 0);

        auto db = store::Database::open(store->path(), store::Database::Mode::ReadOnly);
        for (qint64 p = 1; p <= 5; ++p) {
            auto head = rubric::loadHead(db.value(), p);
            QVERIFY(head.ok());
            QCOMPARE(head->origin, QStringLiteral("generation"));
            QCOMPARE(asLines(head.value()), test::serverProposal(promptText(db.value(), p)));
            auto versions = rubric::listVersions(db.value(), p);
            QCOMPARE(versions->size(), 1);
            QCOMPARE(versions->first().detail.value(QStringLiteral("model")).toString(), QStringLiteral("test-proposer"));
            QCOMPARE(versions->first().detail.value(QStringLiteral("template_version")).toString(), QStringLiteral("generate-v2"));
            auto attempts = authoring::listAttempts(db.value(), p);
            QCOMPARE(attempts->size(), 1);
            QVERIFY(attempts->first().raw.startsWith(QLatin1String("Sure! Here is the result:")));
        }

        // Generating again skips every prompt: nothing is asked, nothing changes.
        auto again = runner.run(c, {});
        QVERIFY(again.ok());
        QCOMPARE(again->skipped, 5);
        QCOMPARE(again->calls, 0);
        QCOMPARE(db->scalar("SELECT count(*) FROM rubric_versions").value(), 5);
    }

    void proposerAndRepairSendTheirSchemaInTheStrictForm()
    {
        // The openai profile rejects a schema that strict mode would (a property not required,
        // an object without additionalProperties: false) and shapes answers to an accepted one.
        auto store = test::alpacaProject(test::Corpus::Fixture, m_dir, QStringLiteral("schema.rubrics"));
        test::ServerProcess server;
        QVERIFY(server.start({QStringLiteral("--profile"), QStringLiteral("openai")}));
        llm::LlmScheduler scheduler(llm::PriceTable(), store.get());
        authoring::GenerationRunner runner(*store, scheduler);
        authoring::GenerationConfig c;
        c.providers.proposer = test::serverProvider(server, QStringLiteral("test-proposer"));
        c.promptIds = {1, 2, 3};
        auto result = runner.run(c, {});
        QVERIFY(result.ok());
        QCOMPARE(result->generated, 3);
        QCOMPARE(result->failed, 0);
        // An edited template the server answers with an echo: its repair goes out with the schema too.
        c.system = QStringLiteral("Write a rubric as JSON.");
        c.providers.proposer = test::serverProvider(server, QStringLiteral("plain-model"));
        c.providers.repair = test::serverProvider(server, QStringLiteral("test-proposer"));
        c.promptIds = {4};
        auto repaired = runner.run(c, {});
        QVERIFY(repaired.ok());
        QCOMPARE(repaired->generated, 1);
        QCOMPARE(repaired->repaired, 1);

        const QJsonObject stats = server.stats();
        const QJsonObject byRole = stats.value(QStringLiteral("by_role")).toObject();
        const QJsonObject structured = stats.value(QStringLiteral("structured_by_role")).toObject();
        QCOMPARE(byRole.value(QStringLiteral("proposer")).toInt(), 3);
        QCOMPARE(structured.value(QStringLiteral("proposer")).toInt(), 3);
        QCOMPARE(byRole.value(QStringLiteral("rewrite")).toInt(), 1);
        QCOMPARE(structured.value(QStringLiteral("rewrite")).toInt(), 1);
        QCOMPARE(stats.value(QStringLiteral("rejections")).toObject().size(), 0);

        // The schema itself: an object at the top, every property required, no others.
        const auto schema = nlohmann::json::parse(authoring::rubricAnswerSchema(true).toStdString());
        QVERIFY(schema["required"] == nlohmann::json({"criteria"}));
        const auto &item = schema["properties"]["criteria"]["items"];
        QVERIFY(item["required"] == nlohmann::json({"criterion", "weight", "kind"}));
        QVERIFY(item["additionalProperties"] == nlohmann::json(false));
        QVERIFY(item["properties"]["weight"]["enum"] == nlohmann::json({1, 2, 3}));
        QVERIFY(!nlohmann::json::parse(authoring::rubricAnswerSchema(false).toStdString())["properties"]["criteria"]["items"]["properties"].contains("kind"));
    }

    void unusableAnswerIsRepaired_data() { test::addCorpusRows(); }
    void unusableAnswerIsRepaired()
    {
        RS_FETCH_CORPUS(test::alpacaDir);
        auto store = test::alpacaProject(corpus, m_dir, QStringLiteral("repair.rubrics"));
        test::ServerProcess server;
        QVERIFY(server.start());
        llm::LlmScheduler scheduler(llm::PriceTable(), store.get());
        authoring::GenerationRunner runner(*store, scheduler);
        authoring::GenerationConfig c;
        // An edited template without the role marker to a plain model: the server echoes the
        // request, which is not a rubric. The repair model turns it into one.
        c.system = QStringLiteral("Write a rubric as JSON.");
        c.providers.proposer = test::serverProvider(server, QStringLiteral("plain-model"));
        c.providers.repair = test::serverProvider(server, QStringLiteral("test-proposer"));
        c.promptIds = {2};
        auto result = runner.run(c, {});
        QVERIFY(result.ok());
        QCOMPARE(result->planned, 1);
        QCOMPARE(result->generated, 1);
        QCOMPARE(result->repaired, 1);

        auto db = store::Database::open(store->path(), store::Database::Mode::ReadOnly);
        auto attempts = authoring::listAttempts(db.value(), 2);
        QCOMPARE(attempts->size(), 1);
        const auto &a = attempts->first();
        QCOMPARE(a.status, QStringLiteral("repaired"));
        QVERIFY(a.raw.startsWith(QLatin1String("Echo: ")));
        QVERIFY(a.repairRaw.startsWith(QLatin1String("[{\"criterion\"")));
        QCOMPARE(a.repairModel, QStringLiteral("test-proposer"));
        QVERIFY(a.templateVersion.startsWith(QLatin1String("generate-v2-custom-")));
        auto head = rubric::loadHead(db.value(), 2);
        QVERIFY(head->criteria.size() >= 4);
        QVERIFY(a.versionId == head->versionId);
        auto versions = rubric::listVersions(db.value(), 2);
        QCOMPARE(versions->first().detail.value(QStringLiteral("repaired")).toBool(), true);
        QCOMPARE(db->scalar("SELECT count(*) FROM rubrics").value(), 1); // the other prompts untouched
    }

    void hopelessAnswerFailsVisiblyAndIsRetried_data() { test::addCorpusRows(); }
    void hopelessAnswerFailsVisiblyAndIsRetried()
    {
        RS_FETCH_CORPUS(test::alpacaDir);
        auto store = test::alpacaProject(corpus, m_dir, QStringLiteral("hopeless.rubrics"));
        test::ServerProcess server;
        QVERIFY(server.start());
        llm::LlmScheduler scheduler(llm::PriceTable(), store.get());
        authoring::GenerationRunner runner(*store, scheduler);
        authoring::GenerationConfig c;
        c.system = QStringLiteral("Write a rubric as JSON.");
        c.providers.proposer = test::serverProvider(server, QStringLiteral("plain-model"));
        c.providers.repairSystem = QStringLiteral("Fix this JSON."); // no marker: echoes again
        c.promptIds = {3, 4};
        auto result = runner.run(c, {});
        QVERIFY(result.ok());
        QCOMPARE(result->generated, 0);
        QCOMPARE(result->failed, 2);
        QCOMPARE(result->failures.size(), 2);

        auto db = store::Database::open(store->path(), store::Database::Mode::ReadOnly);
        QCOMPARE(db->scalar("SELECT count(*) FROM rubric_versions").value(), 0);
        auto attempts = authoring::listAttempts(db.value(), 3);
        QCOMPARE(attempts->size(), 1);
        QCOMPARE(attempts->first().status, QStringLiteral("failed"));
        QVERIFY(attempts->first().raw.startsWith(QLatin1String("Echo: ")));
        QVERIFY(attempts->first().repairRaw.startsWith(QLatin1String("Echo: ")));
        QVERIFY(attempts->first().error.contains(QLatin1String("repaired answer still fails")));
        auto failed = authoring::promptsWithFailedGeneration(db.value());
        QCOMPARE(failed.value(), (QList<qint64>{3, 4}));

        // Retrying the failed ones with a working proposer generates exactly those two.
        authoring::GenerationConfig retry;
        retry.providers.proposer = test::serverProvider(server, QStringLiteral("test-proposer"));
        retry.retryFailedOnly = true;
        auto second = runner.run(retry, {});
        QVERIFY(second.ok());
        QCOMPARE(second->planned, 2);
        QCOMPARE(second->generated, 2);
        QVERIFY(authoring::promptsWithFailedGeneration(db.value())->isEmpty());
        QCOMPARE(db->scalar("SELECT count(*) FROM rubrics").value(), 2);
        QCOMPARE(authoring::listAttempts(db.value(), 3)->size(), 2); // the failed one kept
    }

    void referencesAreShownAndImportedRubricsKept_data() { test::addCorpusRows(); }
    void referencesAreShownAndImportedRubricsKept()
    {
        RS_FETCH_CORPUS(test::alpacaDir);
        auto store = test::alpacaProject(corpus, m_dir, QStringLiteral("refs.rubrics"));
        test::ServerProcess server;
        QVERIFY(server.start());
        llm::LlmScheduler scheduler(llm::PriceTable(), store.get());
        // Prompt 1 already has a hand-written rubric.
        QVERIFY(rubric::saveVersion(*store, 1, {QStringLiteral("manual"), {}},
                                    {rubric::CriterionDraft{{}, QStringLiteral("Is polite."), 1, {}, {}}})
                    .ok());
        authoring::GenerationRunner runner(*store, scheduler);
        authoring::GenerationConfig c;
        c.providers.proposer = test::serverProvider(server, QStringLiteral("test-proposer"));
        c.withReferences = 2;
        auto pv = runner.preview(c, llm::PriceTable(), false);
        QVERIFY(pv.ok());
        QCOMPARE(pv->calls, 4);
        auto result = runner.run(c, {});
        QVERIFY(result.ok());
        QCOMPARE(result->skipped, 1);
        QCOMPARE(result->generated, 4);
        auto db = store::Database::open(store->path(), store::Database::Mode::ReadOnly);
        QCOMPARE(rubric::loadHead(db.value(), 1)->criteria.first().text, QStringLiteral("Is polite."));
        auto versions = rubric::listVersions(db.value(), 2);
        QCOMPARE(versions->first().detail.value(QStringLiteral("references")).toInt(), 2);
        // The request really carried the references (its cached body holds them).
        QCOMPARE(db->scalar("SELECT count(*) FROM llm_cache WHERE request LIKE '%<<<REFERENCE%'").value(), 4);
    }
};

QTEST_GUILESS_MAIN(Generation)
#include "tst_generation.moc"
