// HealthBench records: rubrics keep negative points and tags, completions become responses,
// conversations are kept. On the fixture written for the tests (four records and a three-line
// consensus file) always, and on the shared real records when they are there.
#include "datasupport.h"

#include <map>

using namespace rs;

class HealthBenchImport final : public QObject {
    Q_OBJECT

private:
    struct Imported {
        QTemporaryDir dir;
        std::unique_ptr<store::ProjectStore> store;
        import::ImportResult result;
    };
    std::map<test::Corpus, std::unique_ptr<Imported>> m_imported;

    Imported *imported(test::Corpus c) {
        auto it = m_imported.find(c);
        return it == m_imported.end() ? nullptr : it->second.get();
    }

private Q_SLOTS:
    void everyRecordBecomesAPromptWithARubric_data() { test::addCorpusRows(); }
    void everyRecordBecomesAPromptWithARubric() {
        RS_FETCH_CORPUS(test::healthBenchDir);
        const test::HealthBenchFacts &facts = test::healthBenchFacts(corpus);
        const QStringList files = test::healthBenchExampleFiles(corpus);
        QCOMPARE(files.size(), facts.records);
        auto in = std::make_unique<Imported>();
        in->store = test::newProject(in->dir);
        import::ImportConfig config;
        config.files = files;
        auto r = import::importFiles(*in->store, config);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        in->result = r.value();

        const ProjectStats s = test::stats(*in->store);
        QCOMPARE(s.prompts, facts.records);
        QCOMPARE(s.rubrics, facts.records);
        QCOMPARE(s.criteria, facts.criteria);
        for (auto it = in->result.formats.cbegin(); it != in->result.formats.cend(); ++it)
            QCOMPARE(it.value(), import::Format::HealthBench);
        m_imported[corpus] = std::move(in);
    }

    void negativePointsAndTagsArePreserved_data() { test::addCorpusRows(); }
    void negativePointsAndTagsArePreserved() {
        RS_FETCH_CORPUS(test::healthBenchDir);
        const Imported *in = imported(corpus);
        QVERIFY(in);
        const test::HealthBenchFacts &facts = test::healthBenchFacts(corpus);
        auto db = store::Database::open(in->store->path(), store::Database::Mode::ReadOnly);
        QCOMPARE(db->scalar("SELECT count(*) FROM criteria WHERE weight < 0").value(),
                 facts.negative);
        QCOMPARE(db->scalar("SELECT min(weight) FROM criteria").value(), facts.minPoints);
        QCOMPARE(db->scalar("SELECT max(weight) FROM criteria").value(), facts.maxPoints);
        QCOMPARE(db->scalar("SELECT count(*) FROM criteria WHERE category = 'pitfall'").value(),
                 facts.negative);
        QCOMPARE(db->scalar("SELECT count(*) FROM rubrics WHERE scoring = 'points'").value(),
                 facts.records);

        // A record whose first criterion is a cluster criterion with three tags.
        auto reader = in->store->reader();
        auto pid = db->prepare("SELECT id FROM prompts WHERE external_id = ?1");
        pid->bind(1, facts.clusterRecordId);
        QVERIFY(pid->step().value());
        auto rubric = reader->rubric(pid->columnInt(0));
        QVERIFY(rubric.ok() && rubric.value().has_value());
        const RubricRecord &r = *rubric.value();
        QCOMPARE(r.scoring, QStringLiteral("points"));
        QVERIFY(!r.criteria.isEmpty());
        QCOMPARE(r.criteria.first().stableId, QStringLiteral("c1"));
        QCOMPARE(r.criteria.first().weight, double(facts.clusterPoints));
        QCOMPARE(r.criteria.first().tags, facts.clusterTags);
    }

    void completionsBecomeResponses_data() { test::addCorpusRows(); }
    void completionsBecomeResponses() {
        RS_FETCH_CORPUS(test::healthBenchDir);
        const Imported *in = imported(corpus);
        QVERIFY(in);
        const test::HealthBenchFacts &facts = test::healthBenchFacts(corpus);
        auto db = store::Database::open(in->store->path(), store::Database::Mode::ReadOnly);
        QCOMPARE(db->scalar("SELECT count(*) FROM responses WHERE generator = 'healthbench-ideal'")
                     .value(),
                 facts.idealCompletions);
        QCOMPARE(db->scalar("SELECT count(*) FROM responses WHERE tier = 'reference'").value(),
                 facts.referenceCompletions);
    }

    void multiTurnConversationsAreKept_data() { test::addCorpusRows(); }
    void multiTurnConversationsAreKept() {
        RS_FETCH_CORPUS(test::healthBenchDir);
        const Imported *in = imported(corpus);
        QVERIFY(in);
        auto db = store::Database::open(in->store->path(), store::Database::Mode::ReadOnly);
        QCOMPARE(db->scalar("SELECT count(*) FROM prompts WHERE conversation IS NOT NULL").value(),
                 test::healthBenchFacts(corpus).multiTurn);
    }

    void reimportingTheSameRubricAddsNoVersion_data() { test::addCorpusRows(); }
    void reimportingTheSameRubricAddsNoVersion() {
        RS_FETCH_CORPUS(test::healthBenchDir);
        const Imported *in = imported(corpus);
        QVERIFY(in);
        const test::HealthBenchFacts &facts = test::healthBenchFacts(corpus);
        import::ImportConfig config;
        config.files << test::healthBenchDir(corpus) + QLatin1Char('/') + facts.reimportFile;
        auto r = import::importFiles(*in->store, config);
        QVERIFY(r.ok());
        QCOMPARE(r->rubricVersionsAdded, 0);
        QCOMPARE(test::stats(*in->store).criteria, facts.criteria);
    }

    void consensusJsonlImports_data() { test::addCorpusRows(); }
    void consensusJsonlImports() {
        RS_FETCH_CORPUS(test::healthBenchDir);
        const test::HealthBenchFacts &facts = test::healthBenchFacts(corpus);
        QTemporaryDir dir;
        auto store = test::newProject(dir);
        import::ImportConfig config;
        config.files << test::healthBenchDir(corpus) + QLatin1Char('/') + facts.consensusFile;
        auto r = import::importFiles(*store, config);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        QCOMPARE(test::stats(*store).prompts, facts.consensusRecords);
        QCOMPARE(test::stats(*store).criteria, facts.consensusCriteria);
    }
};

QTEST_GUILESS_MAIN(HealthBenchImport)
#include "tst_healthbenchimport.moc"
