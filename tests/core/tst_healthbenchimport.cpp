// HealthBench examples: physician rubrics keep negative points and tags.
#include "testsupport.h"

#include <QDir>

using namespace rs;

class HealthBenchImport final : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<store::ProjectStore> m_store;
    import::ImportResult m_result;

private Q_SLOTS:
    void initTestCase()
    {
        const QDir data(test::sharedData(QStringLiteral("healthbench")));
        if (!data.exists())
            QSKIP("shared HealthBench data not found");
        QStringList files;
        for (const QString &f : data.entryList({QStringLiteral("example_*.json")}, QDir::Files, QDir::Name))
            files << data.filePath(f);
        QCOMPARE(files.size(), 20);
        m_store = test::newProject(m_dir);
        import::ImportConfig config;
        config.files = files;
        auto r = import::importFiles(*m_store, config);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        m_result = r.value();
    }

    void everyRecordBecomesAPromptWithARubric()
    {
        const ProjectStats s = test::stats(*m_store);
        QCOMPARE(s.prompts, 20);
        QCOMPARE(s.rubrics, 20);
        QCOMPARE(s.criteria, 252);
        for (auto it = m_result.formats.cbegin(); it != m_result.formats.cend(); ++it)
            QCOMPARE(it.value(), import::Format::HealthBench);
    }

    void negativePointsAndTagsArePreserved()
    {
        auto db = store::Database::open(m_store->path(), store::Database::Mode::ReadOnly);
        QCOMPARE(db->scalar("SELECT count(*) FROM criteria WHERE weight < 0").value(), 74);
        QCOMPARE(db->scalar("SELECT min(weight) FROM criteria").value(), -10);
        QCOMPARE(db->scalar("SELECT max(weight) FROM criteria").value(), 10);
        QCOMPARE(db->scalar("SELECT count(*) FROM criteria WHERE category = 'pitfall'").value(), 74);
        QCOMPARE(db->scalar("SELECT count(*) FROM rubrics WHERE scoring = 'points'").value(), 20);

        // example_03's first criterion is a cluster criterion with three tags.
        auto reader = m_store->reader();
        auto pid = db->prepare("SELECT id FROM prompts WHERE external_id = "
                               "'6f7a2ee9-e9c6-42d8-b79f-22dea966b8d2'");
        QVERIFY(pid->step().value());
        auto rubric = reader->rubric(pid->columnInt(0));
        QVERIFY(rubric.ok() && rubric.value().has_value());
        const RubricRecord &r = *rubric.value();
        QCOMPARE(r.scoring, QStringLiteral("points"));
        QVERIFY(!r.criteria.isEmpty());
        QCOMPARE(r.criteria.first().stableId, QStringLiteral("c1"));
        QCOMPARE(r.criteria.first().weight, 5.0);
        QCOMPARE(r.criteria.first().tags,
                 QStringList({QStringLiteral("level:cluster"),
                              QStringLiteral("cluster:emergency_referrals_non-emergent_emergency_behavior"),
                              QStringLiteral("axis:accuracy")}));
    }

    void completionsBecomeResponses()
    {
        // 15 records have an ideal completion; 10 of those have four reference completions.
        auto db = store::Database::open(m_store->path(), store::Database::Mode::ReadOnly);
        QCOMPARE(db->scalar("SELECT count(*) FROM responses WHERE generator = 'healthbench-ideal'").value(), 15);
        QCOMPARE(db->scalar("SELECT count(*) FROM responses WHERE tier = 'reference'").value(), 40);
    }

    void multiTurnConversationsAreKept()
    {
        auto db = store::Database::open(m_store->path(), store::Database::Mode::ReadOnly);
        QCOMPARE(db->scalar("SELECT count(*) FROM prompts WHERE conversation IS NOT NULL").value(), 6);
    }

    void reimportingTheSameRubricAddsNoVersion()
    {
        import::ImportConfig config;
        config.files << test::sharedData(QStringLiteral("healthbench/example_03.json"));
        auto r = import::importFiles(*m_store, config);
        QVERIFY(r.ok());
        QCOMPARE(r->rubricVersionsAdded, 0);
        QCOMPARE(test::stats(*m_store).criteria, 252);
    }

    void consensusJsonlImports()
    {
        QTemporaryDir dir;
        auto store = test::newProject(dir);
        import::ImportConfig config;
        config.files << test::sharedData(QStringLiteral("healthbench/consensus_context_seeking.jsonl"));
        auto r = import::importFiles(*store, config);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        QCOMPARE(test::stats(*store).prompts, 70);
        QCOMPARE(test::stats(*store).criteria, 140);
    }
};

QTEST_GUILESS_MAIN(HealthBenchImport)
#include "tst_healthbenchimport.moc"
