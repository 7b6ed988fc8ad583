// Rubric packs: the native pack round-trips byte for byte into a new project, the paper,
// HealthBench and RaR formats re-import with their documented mappings, HealthBench rubrics
// (the fixture's, and the real ones when present) survive import → export → import, and the
// pack's reward.py (python3) gives the studio's rewards from recorded judge answers and from a
// live judge.
#include "datasupport.h"
#include "judge/judgerunner.h"
#include "judge/overrides.h"
#include "judge/scorereader.h"
#include "llm/llmscheduler.h"
#include "pack/packcodec.h"
#include "pack/packexporter.h"
#include "pack/packimporter.h"
#include "pack/verdictexport.h"
#include "packsupport.h"
#include "serverprocess.h"

#include <QDir>
#include <QProcess>
#include <QStandardPaths>

#include <nlohmann/json.hpp>

using namespace rs;
using nlohmann::json;

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

std::vector<json> records(const QString &file)
{
    std::vector<json> out;
    for (const QByteArray &line : readAll(file).split('\n'))
        if (!line.trimmed().isEmpty())
            out.push_back(json::parse(line.toStdString()));
    return out;
}

Expected<pack::PackExportResult> exportTo(store::ProjectStore &store, pack::PackFormat format, const QString &dir,
                                          const QString &tag = {})
{
    auto db = store::Database::open(store.path(), store::Database::Mode::ReadOnly);
    pack::PackExportOptions o;
    o.format = format;
    o.outDir = dir;
    o.projectName = QStringLiteral("test");
    o.toolVersion = QStringLiteral("test");
    o.selection.tag = tag;
    return pack::exportPack(db.value(), o);
}

struct Row {
    QString prompt, id, text, category, tags;
    double weight;
    bool operator==(const Row &o) const
    {
        return prompt == o.prompt && id == o.id && text == o.text && category == o.category && tags == o.tags
               && weight == o.weight;
    }
};

/// Every prompt's current criteria, in order.
QList<Row> currentCriteria(const QString &path)
{
    auto db = store::Database::open(path, store::Database::Mode::ReadOnly);
    auto st = db->prepare("SELECT p.text, c.stable_id, c.text, coalesce(c.category, ''), coalesce(c.tags, ''),"
                          " c.weight FROM prompts p JOIN rubrics b ON b.prompt_id = p.id"
                          " JOIN criteria c ON c.version_id = b.head_version_id ORDER BY p.text, c.position");
    QList<Row> out;
    while (st->step().value())
        out << Row{st->columnText(0), st->columnText(1), st->columnText(2), st->columnText(3),
                   st->columnText(4), st->columnDouble(5)};
    return out;
}

QString python() { return QStandardPaths::findExecutable(QStringLiteral("python3")); }

} // namespace

class Packs final : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    judge::JudgeConfig judgeConfig(const test::ServerProcess &server, judge::JudgeMode mode, int gradings)
    {
        judge::JudgeConfig c;
        c.provider.name = QStringLiteral("local");
        c.provider.baseUrl = server.baseUrl() + QStringLiteral("/v1");
        c.provider.model = QStringLiteral("rs-test-judge");
        c.provider.timeoutMs = 5000;
        c.mode = mode;
        c.gradings = gradings;
        return c;
    }

private Q_SLOTS:
    void nativePackRoundTripsWithIdenticalHashes()
    {
        auto a = test::packProject(m_dir, QStringLiteral("native-a.rubrics"));
        // A second version of one rubric: c2 removed and a new criterion, so ids are c1 c3 c4 c5.
        QByteArray v2 = test::packRubrics().split('\n').first();
        auto j = json::parse(v2.toStdString());
        j["rubrics"].erase(1);
        j["rubrics"].push_back(json{{"criterion", "Ends with a question for the user."}, {"weight", 1.5}});
        import::ImportConfig c;
        c.files << test::writeFile(m_dir, QStringLiteral("v2.jsonl"), QByteArray::fromStdString(j.dump()));
        QVERIFY(import::importFiles(*a, c).ok());

        const QString p1 = m_dir.filePath(QStringLiteral("native1")), p2 = m_dir.filePath(QStringLiteral("native2"));
        auto e1 = exportTo(*a, pack::PackFormat::Native, p1);
        QVERIFY2(e1.ok(), qPrintable(e1.ok() ? QString() : e1.error().toString()));
        QCOMPARE(e1->rubrics, 3);
        QVERIFY(QFile::exists(p1 + QStringLiteral("/manifest.json")));
        QVERIFY(QFile::exists(p1 + QStringLiteral("/reward.py")));

        auto b = test::newProject(m_dir, QStringLiteral("native-b.rubrics"));
        auto imported = pack::importPack(*b, p1);
        QVERIFY2(imported.ok(), qPrintable(imported.ok() ? QString() : imported.error().toString()));
        QCOMPARE(imported->format, pack::PackFormat::Native);
        QCOMPARE(imported->rubricVersionsAdded, 3);
        QVERIFY(imported->hashMismatches.isEmpty());
        auto e2 = exportTo(*b, pack::PackFormat::Native, p2);
        QVERIFY(e2.ok());

        // Same bytes, same hashes; the ids with the gap came through as they were.
        QCOMPARE(readAll(p2 + QStringLiteral("/rubrics.jsonl")), readAll(p1 + QStringLiteral("/rubrics.jsonl")));
        QCOMPARE(e2->rubricsSha256, e1->rubricsSha256);
        QCOMPARE(currentCriteria(b->path()), currentCriteria(a->path()));
        QStringList ids;
        for (const Row &r : currentCriteria(b->path()))
            if (r.prompt == QLatin1String("Explain how tides work."))
                ids << r.id;
        QCOMPARE(ids, (QStringList{QStringLiteral("c1"), QStringLiteral("c3"), QStringLiteral("c4"), QStringLiteral("c5")}));
        const auto m1 = json::parse(readAll(p1 + QStringLiteral("/manifest.json")).toStdString());
        const auto m2 = json::parse(readAll(p2 + QStringLiteral("/manifest.json")).toStdString());
        for (size_t i = 0; i < 3; ++i)
            QVERIFY(m2["versions"][i]["rubric_hash"] == m1["versions"][i]["rubric_hash"]);
        QVERIFY(m1["files"]["rubrics.jsonl"]["sha256"].get<std::string>() == e1->rubricsSha256.toStdString());
        QVERIFY(m1["lost"].empty());

        // Importing the same pack again changes nothing.
        auto again = pack::importPack(*b, p1);
        QVERIFY(again.ok());
        QCOMPARE(again->rubricVersionsAdded, 0);
        QCOMPARE(again->unchanged, 3);

        // An edited record is imported but reported: its content no longer matches its hash.
        QByteArray edited = readAll(p1 + QStringLiteral("/rubrics.jsonl"));
        edited.replace("at least 15 words", "at least 16 words");
        const QString editedFile = test::writeFile(m_dir, QStringLiteral("edited.jsonl"), edited);
        auto c2 = test::newProject(m_dir, QStringLiteral("native-c.rubrics"));
        auto withMismatch = pack::importPack(*c2, editedFile);
        QVERIFY(withMismatch.ok());
        QCOMPARE(withMismatch->hashMismatches.size(), 3);
    }

    void otherFormatsReimportWithTheDocumentedMappings()
    {
        auto a = test::packProject(m_dir, QStringLiteral("formats.rubrics"));
        const QList<Row> original = currentCriteria(a->path());

        // Paper: texts and weights kept, categories dropped, ids renumbered.
        const QString paperDir = m_dir.filePath(QStringLiteral("paper"));
        QVERIFY(exportTo(*a, pack::PackFormat::Paper, paperDir).ok());
        const auto paper = records(paperDir + QStringLiteral("/rubrics.jsonl"));
        QCOMPARE(paper.size(), size_t(3));
        QCOMPARE(paper[0]["number_of_criteria"].get<int>(), 4);
        QCOMPARE(paper[0]["total_weight"].get<int>(), 8);
        QCOMPARE(paper[0]["rubrics"][0].size(), size_t(2)); // {criterion, weight} only
        const auto manifest = json::parse(readAll(paperDir + QStringLiteral("/manifest.json")).toStdString());
        QVERIFY(!manifest["lost"].empty());
        QVERIFY(!QFile::exists(paperDir + QStringLiteral("/reward.py")));
        auto p = test::newProject(m_dir, QStringLiteral("formats-paper.rubrics"));
        auto ip = pack::importPack(*p, paperDir);
        QVERIFY(ip.ok());
        QCOMPARE(ip->format, pack::PackFormat::Paper);
        const QList<Row> viaPaper = currentCriteria(p->path());
        QCOMPARE(viaPaper.size(), original.size());
        for (qsizetype i = 0; i < original.size(); ++i) {
            QCOMPARE(viaPaper[i].text, original[i].text);
            QCOMPARE(viaPaper[i].weight, original[i].weight);
            QCOMPARE(viaPaper[i].category, QString());
        }

        // HealthBench: a weighted pitfall becomes negative points and comes back as a pitfall;
        // other categories are lost; the rubric scores in points.
        const QString hbDir = m_dir.filePath(QStringLiteral("hb"));
        QVERIFY(exportTo(*a, pack::PackFormat::HealthBench, hbDir).ok());
        const auto hb = records(hbDir + QStringLiteral("/rubrics.jsonl"));
        QVERIFY(hb[0]["prompt"][0]["role"].get<std::string>() == std::string("user"));
        QCOMPARE(hb[0]["rubrics"][3]["points"].get<int>(), -2);
        auto h = test::newProject(m_dir, QStringLiteral("formats-hb.rubrics"));
        QVERIFY(pack::importPack(*h, hbDir).ok());
        const QList<Row> viaHb = currentCriteria(h->path());
        for (qsizetype i = 0; i < original.size(); ++i) {
            QCOMPARE(viaHb[i].text, original[i].text);
            const bool pitfall = original[i].category == QLatin1String("pitfall");
            QCOMPARE(viaHb[i].weight, pitfall ? -original[i].weight : original[i].weight);
            QCOMPARE(viaHb[i].category, pitfall ? QStringLiteral("pitfall") : QString());
        }
        auto hdb = store::Database::open(h->path(), store::Database::Mode::ReadOnly);
        QCOMPARE(hdb->scalar("SELECT count(*) FROM rubrics WHERE scoring = 'points'").value(), 3);

        // RaR: weight 3 → Essential 5, 2 → Important 3, 1 → Optional 1, pitfall 2 → Pitfall −2;
        // the label comes back as the category, and a second round trip keeps RaR weights.
        const QString rarDir = m_dir.filePath(QStringLiteral("rar"));
        QVERIFY(exportTo(*a, pack::PackFormat::Rar, rarDir).ok());
        const auto rar = records(rarDir + QStringLiteral("/rubrics.jsonl"));
        const json &items = rar[0]["rubric"];
        QCOMPARE(items[0]["description"].get<std::string>(),
                 std::string("Essential Criteria: The response mentions \"example\"."));
        QCOMPARE(items[0]["weight"].get<int>(), 5);
        QCOMPARE(items[1]["weight"].get<int>(), 3);
        QCOMPARE(items[2]["weight"].get<int>(), 1);
        QCOMPARE(items[3]["weight"].get<int>(), -2);
        QVERIFY(items[3]["description"].get<std::string>().rfind("Pitfall Criteria: ", 0) == 0);
        QVERIFY(!items[0]["title"].get<std::string>().empty());
        auto r = test::newProject(m_dir, QStringLiteral("formats-rar.rubrics"));
        auto ir = pack::importPack(*r, rarDir + QStringLiteral("/rubrics.jsonl")); // a bare file: detected
        QVERIFY(ir.ok());
        QCOMPARE(ir->format, pack::PackFormat::Rar);
        const QList<Row> viaRar = currentCriteria(r->path());
        QCOMPARE(viaRar[0].text, original[0].text);
        QCOMPARE(viaRar[0].category, QStringLiteral("essential"));
        QCOMPARE(viaRar[0].weight, 5.0);
        QCOMPARE(viaRar[3].category, QStringLiteral("pitfall"));
        QCOMPARE(viaRar[3].weight, -2.0);
        const QString rar2 = m_dir.filePath(QStringLiteral("rar2"));
        QVERIFY(exportTo(*r, pack::PackFormat::Rar, rar2).ok());
        QVERIFY(records(rar2 + QStringLiteral("/rubrics.jsonl"))[0]["rubric"] == items);
    }

    void healthBenchExamplesSurviveImportExportImport_data() { test::addCorpusRows(); }
    void healthBenchExamplesSurviveImportExportImport()
    {
        RS_FETCH_CORPUS(test::healthBenchDir);
        const test::HealthBenchFacts &facts = test::healthBenchFacts(corpus);
        const QString tag = test::corpusName(corpus);
        auto a = test::newProject(m_dir, tag + QStringLiteral("-hb-a.rubrics"));
        import::ImportConfig c;
        c.files = test::healthBenchExampleFiles(corpus);
        QVERIFY(import::importFiles(*a, c).ok());
        const QString out = m_dir.filePath(tag + QStringLiteral("-hb-export"));
        auto e = exportTo(*a, pack::PackFormat::HealthBench, out);
        QVERIFY(e.ok());
        QCOMPARE(e->rubrics, facts.records);
        QCOMPARE(e->criteria, facts.criteria);

        // Each exported record carries the source file's prompt, id, tags and rubric exactly.
        QHash<std::string, json> exported;
        for (json &r : records(out + QStringLiteral("/rubrics.jsonl")))
            exported.insert(r["prompt_id"].get<std::string>(), r);
        for (const QString &f : std::as_const(c.files)) {
            const json src = json::parse(readAll(f).toStdString());
            const json &got = exported[src["prompt_id"].get<std::string>()];
            QVERIFY(got["prompt"] == src["prompt"]);
            QVERIFY(got["example_tags"] == src["example_tags"]);
            QVERIFY(got["rubrics"] == src["rubrics"]);
        }

        auto b = test::newProject(m_dir, tag + QStringLiteral("-hb-b.rubrics"));
        QVERIFY(pack::importPack(*b, out).ok());
        QCOMPARE(currentCriteria(b->path()), currentCriteria(a->path()));
        auto db = store::Database::open(b->path(), store::Database::Mode::ReadOnly);
        QCOMPARE(db->scalar("SELECT count(*) FROM criteria WHERE weight < 0").value(),
                 facts.negative);
        QCOMPARE(db->scalar("SELECT count(*) FROM prompts WHERE conversation IS NOT NULL").value(),
                 facts.multiTurn);
    }

    void exportByTagTakesTheTaggedVersion()
    {
        auto a = test::packProject(m_dir, QStringLiteral("tags.rubrics"));
        QVERIFY(a->writer().write([](store::Database &db) -> Expected<void> {
            return db.exec("UPDATE rubric_versions SET tag = 'v1-frozen' WHERE id = 1");
        }).ok());
        // A newer version for that prompt, so the tag and "latest" differ.
        QByteArray v2 = test::packRubrics().split('\n').first();
        v2.replace("at least 15 words", "at least 40 words");
        import::ImportConfig c;
        c.files << test::writeFile(m_dir, QStringLiteral("tags-v2.jsonl"), v2);
        QVERIFY(import::importFiles(*a, c).ok());

        const QString latest = m_dir.filePath(QStringLiteral("tag-latest")), tagged = m_dir.filePath(QStringLiteral("tag-v1"));
        QVERIFY(exportTo(*a, pack::PackFormat::Native, latest).ok());
        auto t = exportTo(*a, pack::PackFormat::Native, tagged, QStringLiteral("v1-frozen"));
        QVERIFY(t.ok());
        QCOMPARE(t->rubrics, 1);
        QCOMPARE(t->skipped.size(), 2); // the other prompts have no version with that tag
        QVERIFY(readAll(tagged + QStringLiteral("/rubrics.jsonl")).contains("at least 15 words"));
        const std::string first = records(latest + QStringLiteral("/rubrics.jsonl"))[0].dump();
        QVERIFY(first.find("at least 40 words") != std::string::npos);
        QVERIFY(first.find("at least 15 words") == std::string::npos);
        const auto m = json::parse(readAll(tagged + QStringLiteral("/manifest.json")).toStdString());
        QVERIFY(m["version_choice"].get<std::string>() == std::string("tag:v1-frozen"));
        QVERIFY(m["versions"][0]["tag"].get<std::string>() == std::string("v1-frozen"));

        auto none = exportTo(*a, pack::PackFormat::Native, m_dir.filePath(QStringLiteral("tag-none")),
                             QStringLiteral("no-such-tag"));
        QVERIFY(!none.ok());
    }

    void badPackRecordLeavesTheProjectUnchanged()
    {
        auto a = test::packProject(m_dir, QStringLiteral("bad.rubrics"));
        const QString before = test::fingerprint(a->path());
        const QString file = test::writeFile(
            m_dir, QStringLiteral("bad.jsonl"),
            "{\"prompt\": \"New prompt\", \"rubrics\": [{\"criterion\": \"Says hi.\", \"weight\": 1}]}\n"
            "{\"prompt\": \"Other\", \"rubrics\": [{\"criterion\": \"No weight.\"}]}\n");
        auto r = pack::importPack(*a, file);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().line, 2);
        QVERIFY(r.error().file.endsWith(QLatin1String("bad.jsonl")));
        QCOMPARE(test::fingerprint(a->path()), before);
    }

    void referenceRewardReproducesStudioRewards_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<int>("gradings");
        QTest::newRow("joint, 1 grading") << int(judge::JudgeMode::Joint) << 1;
        QTest::newRow("joint, 3 gradings") << int(judge::JudgeMode::Joint) << 3;
        QTest::newRow("per-criterion") << int(judge::JudgeMode::PerCriterion) << 1;
    }

    void referenceRewardReproducesStudioRewards()
    {
        QFETCH(int, mode);
        QFETCH(int, gradings);
        if (python().isEmpty())
            QSKIP("python3 not found");
        const QString tag = QStringLiteral("reward-%1-%2").arg(mode).arg(gradings);
        auto a = test::packProject(m_dir, tag + QStringLiteral(".rubrics"));
        test::ServerProcess server;
        QVERIFY(server.start());
        llm::LlmScheduler scheduler(llm::PriceTable(), a.get());
        judge::JudgeRunner runner(*a, scheduler);
        const auto config = judgeConfig(server, judge::JudgeMode(mode), gradings);
        auto run = runner.run(config, {});
        QVERIFY(run.ok());
        QCOMPARE(run->failedCalls, 0);

        auto db = store::Database::open(a->path(), store::Database::Mode::ReadOnly);
        // A human override on one verdict: reward.py applies it as the studio does.
        auto grid = db->prepare("SELECT v.response_id, b.id, v.stable_id, v.criterion_hash, v.verdict"
                                " FROM verdicts v JOIN responses r ON r.id = v.response_id"
                                " JOIN rubrics b ON b.prompt_id = r.prompt_id ORDER BY v.id LIMIT 1");
        QVERIFY(grid->step().value());
        judge::OverrideRequest o{grid->columnInt(0), grid->columnInt(1), grid->columnText(2), grid->columnInt(3),
                                 grid->columnText(4) != QLatin1String("yes"), QStringLiteral("test"), {}};
        grid->reset();
        QVERIFY(judge::setOverride(*a, o).ok());

        const QString packDir = m_dir.filePath(tag + QStringLiteral("-pack"));
        QVERIFY(exportTo(*a, pack::PackFormat::Native, packDir).ok());
        pack::VerdictExportOptions vo;
        vo.out = m_dir.filePath(tag + QStringLiteral("-answers.jsonl"));
        auto ve = pack::exportVerdicts(db.value(), vo);
        QVERIFY(ve.ok());
        QCOMPARE(ve->responses, 15);

        auto scores = judge::computeScores(db.value(), {});
        QVERIFY(scores.ok());
        QHash<qint64, double> studio;
        QSet<double> distinct;
        for (const auto &s : scores.value()) {
            studio.insert(s.responseId, s.reward);
            distinct.insert(s.reward);
        }
        QVERIFY2(distinct.size() >= 3, "rewards should differ between responses");

        // Recorded answers, no network.
        QProcess py;
        py.start(python(), {packDir + QStringLiteral("/reward.py"), packDir, QStringLiteral("--answers"), vo.out});
        QVERIFY(py.waitForFinished(60000));
        QCOMPARE(py.exitCode(), 0);
        int compared = 0;
        for (const QByteArray &line : py.readAllStandardOutput().split('\n')) {
            if (line.isEmpty())
                continue;
            const json r = json::parse(line.toStdString());
            const qint64 id = r["response_id"].get<qint64>();
            QVERIFY(studio.contains(id));
            QVERIFY2(qAbs(r["reward"].get<double>() - studio.value(id)) < 1e-12,
                     qPrintable(QStringLiteral("response %1: reward.py %2, studio %3")
                                    .arg(id)
                                    .arg(r["reward"].get<double>())
                                    .arg(studio.value(id))));
            ++compared;
        }
        QCOMPARE(compared, 15);

        // Live mode against the test server (overrides are the studio's alone, so compare
        // with the run's own rewards: the studio's scores with the override reverted).
        if (gradings != 1)
            return;
        QVERIFY(judge::revertOverride(*a, 1).ok());
        auto plain = judge::computeScores(db.value(), {});
        QVERIFY(plain.ok());
        json responses;
        QByteArray lines;
        auto texts = db->prepare("SELECT r.id, p.text, r.text FROM responses r JOIN prompts p ON p.id = r.prompt_id");
        while (texts->step().value())
            lines += QByteArray::fromStdString(json{{"response_id", texts->columnInt(0)},
                                                    {"prompt", texts->columnText(1).toStdString()},
                                                    {"response", texts->columnText(2).toStdString()}}
                                                   .dump())
                     + '\n';
        const QString respFile = test::writeFile(m_dir, tag + QStringLiteral("-responses.jsonl"), lines);
        QProcess live;
        live.start(python(), {packDir + QStringLiteral("/reward.py"), packDir, QStringLiteral("--responses"), respFile,
                              QStringLiteral("--base-url"), config.provider.baseUrl, QStringLiteral("--model"),
                              config.provider.model});
        QVERIFY(live.waitForFinished(60000));
        QVERIFY2(live.exitCode() == 0, live.readAllStandardError().constData());
        QHash<qint64, double> liveRewards;
        for (const QByteArray &line : live.readAllStandardOutput().split('\n'))
            if (!line.isEmpty()) {
                const json r = json::parse(line.toStdString());
                liveRewards.insert(r["response_id"].get<qint64>(), r["reward"].get<double>());
            }
        QCOMPARE(liveRewards.size(), 15);
        for (const auto &s : plain.value())
            QVERIFY(qAbs(liveRewards.value(s.responseId, -1) - s.reward) < 1e-12);
    }

    void verdictCsvHasOneRowPerResponseAndCriterion()
    {
        auto a = test::packProject(m_dir, QStringLiteral("csv.rubrics"));
        test::ServerProcess server;
        QVERIFY(server.start());
        llm::LlmScheduler scheduler(llm::PriceTable(), a.get());
        judge::JudgeRunner runner(*a, scheduler);
        QVERIFY(runner.run(judgeConfig(server, judge::JudgeMode::Joint, 1), {}).ok());
        auto db = store::Database::open(a->path(), store::Database::Mode::ReadOnly);
        pack::VerdictExportOptions vo;
        vo.out = m_dir.filePath(QStringLiteral("verdicts.csv"));
        vo.csv = true;
        vo.promptIds = {1};
        auto r = pack::exportVerdicts(db.value(), vo);
        QVERIFY(r.ok());
        QCOMPARE(r->rows, 5 * 4);
        const QList<QByteArray> lines = readAll(vo.out).split('\n');
        QVERIFY(lines.first().startsWith("response_id,prompt_id,prompt_hash,generator"));
        QCOMPARE(lines.size(), 1 + 20 + 1); // header, rows, the empty tail after the last CRLF
        QVERIFY(readAll(vo.out).contains("\"The response mentions \"\"example\"\".\""));
    }
};

QTEST_GUILESS_MAIN(Packs)
#include "tst_packs.moc"
