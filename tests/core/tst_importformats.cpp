// Each import format maps onto prompts, responses and rubric versions as a user expects.
#include "import/recordmapper.h"
#include "import/utf8.h"
#include "testsupport.h"

#include <nlohmann/json.hpp>

using namespace rs;

class ImportFormats final : public QObject {
    Q_OBJECT

private:
    static Expected<import::ImportResult> run(store::ProjectStore &s, const QString &file,
                                              import::Format f = import::Format::Auto,
                                              const QString &map = {})
    {
        import::ImportConfig c;
        c.files << file;
        c.format = f;
        QString err;
        if (!map.isEmpty())
            c.map = *import::FieldMap::parse(map, &err);
        return import::importFiles(s, c);
    }

    static qint64 count(store::ProjectStore &s, const char *sql)
    {
        auto db = store::Database::open(s.path(), store::Database::Mode::ReadOnly);
        return db->scalar(sql).value();
    }

private Q_SLOTS:
    void rolloutsJoinWithAlpacaStyleFilesOnPromptText()
    {
        QTemporaryDir dir;
        auto s = test::newProject(dir);
        const QString rollouts = test::writeFile(dir, QStringLiteral("r.json"), R"([
  {"id": "x1", "prompt": "Name a prime.", "responses": [
      {"generator": "big", "response": "7", "tier": "great"},
      {"generator": "small", "response": "9"}]},
  {"id": 2, "prompt": "Say hi.", "responses": [{"generator": "big", "response": "Hi!"}]}
])");
        auto r = run(*s, rollouts);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        QCOMPARE(r->formats.value(rollouts), import::Format::Rollouts);
        QCOMPARE(r->responsesAdded, 3);

        const QString alpaca = test::writeFile(dir, QStringLiteral("a.json"),
            R"([{"instruction": "Say hi.", "output": "Hello.", "generator": "mid", "dataset": "d"},
               {"instruction": "Name a prime.", "output": "2", "generator": "mid", "dataset": "d"}])");
        QVERIFY(run(*s, alpaca).ok());
        QCOMPARE(test::stats(*s).prompts, 2);
        QCOMPARE(test::stats(*s).responses, 5);
        QCOMPARE(count(*s, "SELECT count(*) FROM responses r JOIN prompts p ON p.id = r.prompt_id"
                           " WHERE p.text = 'Name a prime.'"),
                 3);
        QCOMPARE(count(*s, "SELECT count(*) FROM responses WHERE tier = 'great'"), 1);
    }

    void sameTextSameGeneratorIsStoredOnceButTwoGeneratorsAreTwo()
    {
        QTemporaryDir dir;
        auto s = test::newProject(dir);
        const QString f = test::writeFile(dir, QStringLiteral("d.jsonl"),
                                          R"({"q":"P","a":"same","m":"g1"})" "\n"
                                          R"({"q":"P","a":"same","m":"g1"})" "\n"
                                          R"({"q":"P","a":"same","m":"g2"})" "\n");
        auto r = run(*s, f, import::Format::Jsonl, QStringLiteral("prompt=q,response=a,generator=m"));
        QVERIFY(r.ok());
        QCOMPARE(r->responsesAdded, 2);
        QCOMPARE(r->duplicates, 1);
        QCOMPARE(r->warnings.size(), 1);
        QCOMPARE(r->warnings.first().line, 2);
        QVERIFY(r->warnings.first().message.contains(QLatin1String("duplicate response from g1")));
    }

    // A 64-bit hash can collide. Forged here: another text already stored under the hash of
    // the text being imported, for the same prompt and generator.
    static void storeUnderHashOf(store::ProjectStore &s, const char *storedText,
                                 const std::string &hashedText) {
        auto w = s.writer().write([&](store::Database &db) -> Expected<void> {
            if (auto r = db.exec("INSERT INTO prompts(text) VALUES('P')"); !r)
                return r;
            auto st = db.prepare("INSERT INTO responses(prompt_id, generator, text, text_hash)"
                                 " VALUES(1, 'g1', ?1, ?2)");
            if (!st)
                return st.error();
            st->bind(1, std::string_view(storedText));
            st->bind(2, import::contentHash(hashedText));
            return st->run();
        });
        QVERIFY2(w.ok(), qPrintable(w.error().toString()));
    }

    void differentTextWithTheSameHashIsStoredNotTakenForADuplicate() {
        QTemporaryDir dir;
        auto s = test::newProject(dir);
        storeUnderHashOf(*s, "an earlier answer", "the imported answer");
        const QString f = test::writeFile(dir, QStringLiteral("d.jsonl"),
                                          R"({"q":"P","a":"the imported answer","m":"g1"})"
                                          "\n");
        const QString map = QStringLiteral("prompt=q,response=a,generator=m");
        auto r = run(*s, f, import::Format::Jsonl, map);
        QVERIFY2(r.ok(), qPrintable(r.error().toString()));
        QCOMPARE(r->duplicates, 0);
        QCOMPARE(r->responsesAdded, 1);
        QCOMPARE(count(*s, "SELECT count(*) FROM responses WHERE text = 'the imported answer'"), 1);
        QCOMPARE(count(*s, "SELECT count(*) FROM responses WHERE text = 'an earlier answer'"), 1);

        // Importing it again is a real duplicate, found past the colliding row.
        auto again = run(*s, f, import::Format::Jsonl, map);
        QVERIFY2(again.ok(), qPrintable(again.error().toString()));
        QCOMPARE(again->duplicates, 1);
        QCOMPARE(again->responsesAdded, 0);
        QCOMPARE(test::stats(*s).responses, 2);
    }

    void preferenceNamesTheResponseWithItsTextNotOneWithItsHash() {
        QTemporaryDir dir;
        auto s = test::newProject(dir);
        storeUnderHashOf(*s, "an earlier answer", "the imported answer");
        const QString f = test::writeFile(dir, QStringLiteral("pw.json"), R"([
  {"instruction": "P", "output_1": "the imported answer", "generator_1": "g1",
   "output_2": "another answer", "generator_2": "g2", "preference": 2}
])");
        auto r = run(*s, f, import::Format::Pairwise);
        QVERIFY2(r.ok(), qPrintable(r.error().toString()));
        QCOMPARE(r->responsesAdded, 2);
        QCOMPARE(r->preferencesAdded, 1);
        auto db = store::Database::open(s->path(), store::Database::Mode::ReadOnly);
        QVERIFY(db.ok());
        auto st = db->prepare("SELECT a.text, b.text FROM preferences f"
                              " JOIN responses a ON a.id = f.response_a"
                              " JOIN responses b ON b.id = f.response_b");
        QVERIFY(st.ok());
        auto row = st->step();
        QVERIFY(row.ok() && *row);
        QCOMPARE(st->columnText(0), QStringLiteral("the imported answer"));
        QCOMPARE(st->columnText(1), QStringLiteral("another answer"));
    }

    void genericJsonArrayWithNestedFieldsAndTier()
    {
        QTemporaryDir dir;
        auto s = test::newProject(dir);
        const QString f = test::writeFile(dir, QStringLiteral("g.json"),
            R"([{"input": {"text": "Q1"}, "out": "A1", "meta": {"model": "m1", "tier": "good"}},
               {"input": {"text": "Q2"}, "out": "A2", "meta": {"model": "m2", "tier": "base"}}])");
        auto r = run(*s, f, import::Format::Auto,
                     QStringLiteral("prompt=input.text,response=out,generator=meta.model,tier=meta.tier"));
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        QCOMPARE(r->formats.value(f), import::Format::Jsonl);
        QCOMPARE(count(*s, "SELECT count(*) FROM responses WHERE generator = 'm2' AND tier = 'base'"), 1);
    }

    void rubricJsonlMakesVersionsWithStableIds()
    {
        QTemporaryDir dir;
        auto s = test::newProject(dir);
        const QString v1 = test::writeFile(dir, QStringLiteral("v1.jsonl"),
            R"({"prompt": "Explain DNS.", "rubrics": [{"criterion": "Mentions resolvers.", "weight": 3}, {"criterion": "Gives an example lookup.", "weight": 1}], "number_of_criteria": 2, "total_weight": 4})" "\n");
        auto r1 = run(*s, v1);
        QVERIFY(r1.ok());
        QCOMPARE(r1->formats.value(v1), import::Format::Rubrics);
        QCOMPARE(r1->rubricsAdded, 1);

        const QString v2 = test::writeFile(dir, QStringLiteral("v2.jsonl"),
            R"({"prompt": "Explain DNS.", "rubrics": [{"criterion": "Gives an example lookup.", "weight": 2}, {"criterion": "Mentions caching and TTLs.", "weight": 2}]})" "\n");
        auto r2 = run(*s, v2);
        QVERIFY(r2.ok());
        QCOMPARE(r2->rubricsAdded, 0);
        QCOMPARE(r2->rubricVersionsAdded, 1);

        auto reader = s->reader();
        auto rubric = reader->rubric(1);
        QVERIFY(rubric.ok() && rubric->has_value());
        const RubricRecord &rr = **rubric;
        QCOMPARE(rr.versionCount, 2);
        QCOMPARE(rr.criteria.size(), 2);
        QCOMPARE(rr.criteria[0].stableId, QStringLiteral("c2")); // same text, same id, new weight
        QCOMPARE(rr.criteria[0].weight, 2.0);
        QCOMPARE(rr.criteria[1].stableId, QStringLiteral("c3")); // new criterion, fresh id
        QCOMPARE(test::stats(*s).criteria, 2); // only the current version counts
        QCOMPARE(count(*s, "SELECT count(*) FROM rubric_versions WHERE parent_id IS NOT NULL"), 1);
    }

    void crlfAndByteOrderMarkAreAccepted()
    {
        QTemporaryDir dir;
        auto s = test::newProject(dir);
        const QString f = test::writeFile(dir, QStringLiteral("w.jsonl"),
                                          "\xEF\xBB\xBF" R"({"p":"A","r":"x"})" "\r\n" R"({"p":"B","r":"y"})" "\r\n");
        auto r = run(*s, f, import::Format::Jsonl, QStringLiteral("prompt=p,response=r"));
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        QCOMPARE(r->responsesAdded, 2);
        // Without a generator field the file name names the generator.
        QCOMPARE(count(*s, "SELECT count(*) FROM responses WHERE generator = 'w'"), 2);
    }

    void detectFormatSniffsTheFirstRecord()
    {
        QTemporaryDir dir;
        const QString f = test::writeFile(dir, QStringLiteral("a.json"),
                                          R"([{"instruction": "i", "output": "o", "generator": "g"}])");
        auto fmt = import::detectFormat(f, {});
        QVERIFY(fmt.ok());
        QCOMPARE(fmt.value(), import::Format::AlpacaEval);
    }

    void fastFieldScannerAgreesWithTheFullParser_data()
    {
        QTest::addColumn<QByteArray>("record");
        QTest::addColumn<bool>("valid");
        QTest::newRow("escapes") << QByteArray("{\"p\":\"a\\\"b\\n\\t\\/\",\"r\":\"x\\u00e9\\ud83d\\ude00\",\"g\":\"m\"}") << true;
        QTest::newRow("nested same keys") << QByteArray("{\"meta\":{\"p\":\"no\",\"r\":[1,{\"g\":2}]},\"p\":\"yes\",\"r\":\"ok\",\"g\":\"m\"}") << true;
        QTest::newRow("repeated key, last wins") << QByteArray("{\"p\":\"first\",\"p\":\"second\",\"r\":\"x\",\"g\":\"m\"}") << true;
        QTest::newRow("numbers and literals") << QByteArray("{\"n\":-1.5e+3,\"t\":true,\"z\":null,\"p\":\"q\",\"r\":\"x\",\"g\":\"m\"}") << true;
        QTest::newRow("lone surrogate") << QByteArray("{\"p\":\"\\ud83d\",\"r\":\"x\",\"g\":\"m\"}") << false;
        QTest::newRow("raw control char") << QByteArray("{\"p\":\"a\tb\",\"r\":\"x\",\"g\":\"m\"}") << false;
        QTest::newRow("response not a string") << QByteArray("{\"p\":\"q\",\"r\":5,\"g\":\"m\"}") << false;
        QTest::newRow("trailing garbage") << QByteArray("{\"p\":\"q\",\"r\":\"x\",\"g\":\"m\"} x") << false;
        QTest::newRow("trailing comma") << QByteArray("{\"p\":\"q\",\"r\":\"x\",\"g\":\"m\",}") << false;
    }

    void fastFieldScannerAgreesWithTheFullParser()
    {
        QFETCH(QByteArray, record);
        QFETCH(bool, valid);
        import::ImportConfig c;
        c.format = import::Format::Jsonl;
        QString err;
        c.map = *import::FieldMap::parse(QStringLiteral("prompt=p,response=r,generator=g"), &err);
        import::RecordMapper mapper(import::Format::Jsonl, c, QStringLiteral("f.jsonl"));
        auto items = mapper.map(std::string_view(record.constData(), size_t(record.size())), 1);
        QCOMPARE(items.ok(), valid);
        const auto j = nlohmann::json::parse(record.constData(), record.constData() + record.size(), nullptr, false);
        QCOMPARE(!j.is_discarded() && j["r"].is_string(), valid);
        if (!valid)
            return;
        QCOMPARE(items->promptText, j["p"].get<std::string>());
        QCOMPARE(items->responses.at(0).text, j["r"].get<std::string>());
        QCOMPARE(items->responses.at(0).generator, j["g"].get<std::string>());
    }

    void fieldMapParsing()
    {
        QString err;
        QVERIFY(!import::FieldMap::parse(QStringLiteral("prompt"), &err));
        QVERIFY(err.contains(QLatin1String("KEY=FIELD")));
        QVERIFY(!import::FieldMap::parse(QStringLiteral("answer=x"), &err));
        QVERIFY(err.contains(QLatin1String("unknown mapping key")));
        auto m = import::FieldMap::parse(QStringLiteral("prompt=a, response=b"), &err);
        QVERIFY(m);
        QCOMPARE(m->response, QStringLiteral("b"));
    }
};

QTEST_GUILESS_MAIN(ImportFormats)
#include "tst_importformats.moc"
