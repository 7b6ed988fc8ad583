// One verdict tally: scores, metrics, the verdict grid and the verdict export read votes and
// overrides through judge::VerdictTally, so they agree on every response's reward — also for a
// rubric with two identical criteria, cells without any verdict, failed votes, split votes and
// overrides, under both missing-verdict policies.
#include "analytics/metricdata.h"
#include "judge/judgetemplate.h"
#include "judge/overrides.h"
#include "judge/scorereader.h"
#include "judge/verdictgrid.h"
#include "judge/verdicttally.h"
#include "pack/verdictexport.h"
#include "testsupport.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace rs;

namespace {

const char kResponses[] = R"([
 {"instruction": "Name the capital of France.", "output": "Paris.", "generator": "m1"},
 {"instruction": "Name the capital of France.", "output": "It is Paris, a city on the Seine.", "generator": "m2"},
 {"instruction": "Name the capital of France.", "output": "Lyon.", "generator": "m3"},
 {"instruction": "Say hello.", "output": "Hello!", "generator": "m1"},
 {"instruction": "Say hello.", "output": "Hi there.", "generator": "m2"}
])";

// The first rubric repeats a criterion word for word: both copies must get the same votes.
const char kRubrics[] =
    R"({"prompt": "Name the capital of France.", "rubrics": [{"criterion": "Names Paris", "weight": 2}, {"criterion": "Names Paris", "weight": 2}, {"criterion": "Is one sentence", "weight": 1}]})"
    "\n"
    R"({"prompt": "Say hello.", "rubrics": [{"criterion": "Greets the reader", "weight": 1}, {"criterion": "Uses an exclamation mark", "weight": 3}]})"
    "\n";

struct Fixture {
    QTemporaryDir dir;
    std::unique_ptr<store::ProjectStore> store;
    QString path;
    QHash<QString, qint64> response; // generator + prompt initial -> id
};

void exec(store::Database &db, const QString &sql) {
    if (auto r = db.exec(sql.toStdString()); !r)
        qFatal("%s: %s", qPrintable(sql), qPrintable(r.error().toString()));
}

} // namespace

class TestVerdictTally final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void scoresMetricsGridAndExport_agreeOnEveryReward_data();
    void scoresMetricsGridAndExport_agreeOnEveryReward();
    void duplicateCriteria_shareVotesAndOverrides();
    void votesPerGrading_feedTheGradingRewards();

private:
    std::unique_ptr<Fixture> build();
};

std::unique_ptr<Fixture> TestVerdictTally::build() {
    auto f = std::make_unique<Fixture>();
    f->store = test::newProject(f->dir);
    f->path = f->store->path();
    import::ImportConfig responses;
    responses.files << test::writeFile(f->dir, QStringLiteral("outputs.json"), kResponses);
    if (auto r = import::importFiles(*f->store, responses); !r)
        qFatal("import: %s", qPrintable(r.error().toString()));
    import::ImportConfig rubrics;
    rubrics.files << test::writeFile(f->dir, QStringLiteral("rubrics.jsonl"), kRubrics);
    if (auto r = import::importFiles(*f->store, rubrics); !r)
        qFatal("import: %s", qPrintable(r.error().toString()));

    auto db = store::Database::open(f->path, store::Database::Mode::ReadWrite);
    if (!db)
        qFatal("open: %s", qPrintable(db.error().toString()));
    auto rs = db->prepare("SELECT r.id, r.generator, substr(p.text, 1, 1) FROM responses r"
                          " JOIN prompts p ON p.id = r.prompt_id");
    auto read = rs->forEach(
        [&] { f->response.insert(rs->columnText(1) + rs->columnText(2), rs->columnInt(0)); });
    if (!read || f->response.size() != 5)
        qFatal("responses not as written");

    exec(*db, QStringLiteral(
                  "INSERT INTO judge_runs(id, name, provider, model, mode, gradings, template,"
                  " template_version) VALUES(1, 'r', 'test', 'm', 'all_in_one', 3, 't', '1')"));
    // (response, criterion text, weight, grading, verdict). Cells left out have no verdict.
    struct Row {
        const char *response;
        const char *criterion;
        double weight;
        int grading;
        const char *verdict;
    };
    const Row rows[] = {
        // m1 on France: Paris yes ×3; one sentence: yes, no, error (split, no majority).
        {"m1N", "Names Paris", 2, 0, "yes"},
        {"m1N", "Names Paris", 2, 1, "yes"},
        {"m1N", "Names Paris", 2, 2, "yes"},
        {"m1N", "Is one sentence", 1, 0, "yes"},
        {"m1N", "Is one sentence", 1, 1, "no"},
        {"m1N", "Is one sentence", 1, 2, "error"},
        // m2: Paris yes, yes, no; one sentence never judged.
        {"m2N", "Names Paris", 2, 0, "yes"},
        {"m2N", "Names Paris", 2, 1, "yes"},
        {"m2N", "Names Paris", 2, 2, "no"},
        // m3: Paris failed in every grading; one sentence no ×2.
        {"m3N", "Names Paris", 2, 0, "error"},
        {"m3N", "Names Paris", 2, 1, "error"},
        {"m3N", "Names Paris", 2, 2, "error"},
        {"m3N", "Is one sentence", 1, 0, "no"},
        {"m3N", "Is one sentence", 1, 1, "no"},
        // Hello: m1 greets yes, exclamation yes; m2 greets yes, exclamation never judged.
        {"m1S", "Greets the reader", 1, 0, "yes"},
        {"m1S", "Uses an exclamation mark", 3, 0, "yes"},
        {"m2S", "Greets the reader", 1, 0, "yes"},
        {"m2S", "Greets the reader", 1, 1, "yes"},
    };
    auto ins = db->prepare(
        "INSERT INTO verdicts(run_id, response_id, criterion_hash, stable_id, grading, verdict)"
        " VALUES(1, ?1, ?2, 'c', ?3, ?4)");
    for (const Row &r : rows) {
        ins->reset();
        ins->bind(1, std::int64_t(f->response.value(QLatin1String(r.response))));
        ins->bind(2,
                  std::int64_t(judge::criterionHash(QLatin1String(r.criterion), r.weight, false)));
        ins->bind(3, std::int64_t(r.grading));
        ins->bind(4, std::string_view(r.verdict));
        if (auto ok = ins->run(); !ok)
            qFatal("%s", qPrintable(ok.error().toString()));
    }
    return f;
}

void TestVerdictTally::scoresMetricsGridAndExport_agreeOnEveryReward_data() {
    QTest::addColumn<bool>("drop");
    QTest::addColumn<bool>("withOverride");
    QTest::newRow("missing counts as no") << false << false;
    QTest::newRow("missing left out") << true << false;
    QTest::newRow("missing counts as no, override") << false << true;
    QTest::newRow("missing left out, override") << true << true;
}

void TestVerdictTally::scoresMetricsGridAndExport_agreeOnEveryReward() {
    QFETCH(bool, drop);
    QFETCH(bool, withOverride);
    auto f = build();
    QVERIFY(f);
    if (withOverride) {
        // m3's failed "Names Paris" overridden to yes: both identical criteria take it.
        auto db = store::Database::open(f->path, store::Database::Mode::ReadOnly);
        const qint64 rubricId = db->scalar("SELECT min(id) FROM rubrics").value();
        judge::OverrideRequest o;
        o.responseId = f->response.value(QStringLiteral("m3N"));
        o.rubricId = rubricId;
        o.stableId = QStringLiteral("c1");
        o.criterionHash = judge::criterionHash(QStringLiteral("Names Paris"), 2, false);
        o.met = true;
        QVERIFY(judge::setOverride(*f->store, o).ok());
    }
    const judge::MissingPolicy missing =
        drop ? judge::MissingPolicy::Drop : judge::MissingPolicy::CountAsNo;
    auto db = store::Database::open(f->path, store::Database::Mode::ReadOnly);
    QVERIFY(db.ok());

    judge::ScoreOptions so;
    so.missing = missing;
    auto scores = judge::computeScores(db.value(), so);
    QVERIFY2(scores.ok(), qPrintable(scores.error().toString()));
    QCOMPARE(scores->size(), std::size_t(5));

    analytics::MetricOptions mo;
    mo.missing = missing;
    auto metrics = analytics::loadMetricData(db.value(), mo);
    QVERIFY2(metrics.ok(), qPrintable(metrics.error().toString()));

    // The rewards worked out by hand, majority of three gradings, ties and errors missing.
    // France (weights 2, 2, 1): m1 Paris yes twice + sentence split → (2+2)/5 or /4 dropped.
    const double m1N = drop ? 4.0 / 4 : 4.0 / 5;
    const double m2N = drop ? 4.0 / 4 : 4.0 / 5;
    const double m3N = withOverride ? 4.0 / 5 : 0.0; // the override fills both copies
    const double m1S = 1.0;
    const double m2S = drop ? 1.0 : 1.0 / 4;
    const QHash<QString, double> expected{{QStringLiteral("m1N"), m1N},
                                          {QStringLiteral("m2N"), m2N},
                                          {QStringLiteral("m3N"), m3N},
                                          {QStringLiteral("m1S"), m1S},
                                          {QStringLiteral("m2S"), m2S}};
    QHash<qint64, double> scoreOf;
    for (const judge::ResponseScore &s : scores.value())
        scoreOf.insert(s.responseId, s.reward);
    QHash<qint64, double> metricOf;
    for (const analytics::ResponseFacts &r : metrics->responses)
        if (r.scored)
            metricOf.insert(r.responseId, r.reward);
    for (auto it = expected.cbegin(); it != expected.cend(); ++it) {
        const qint64 id = f->response.value(it.key());
        QVERIFY2(qFuzzyCompare(1 + scoreOf.value(id, -1), 1 + it.value()),
                 qPrintable(QStringLiteral("%1 score %2, want %3")
                                .arg(it.key())
                                .arg(scoreOf.value(id))
                                .arg(it.value())));
        QVERIFY2(metricOf.contains(id), qPrintable(it.key()));
        QCOMPARE(metricOf.value(id), scoreOf.value(id));
    }

    // The grid of each prompt ranks by the same rewards.
    for (const qint64 prompt : {qint64(1), qint64(2)}) {
        auto grid = judge::loadVerdictGrid(db.value(), prompt, 1, missing);
        QVERIFY2(grid.ok(), qPrintable(grid.error().toString()));
        QVERIFY(!grid->rows.isEmpty());
        for (const judge::GridRow &row : grid->rows)
            QCOMPARE(row.reward, scoreOf.value(row.responseId));
    }

    // The export writes the scores' reward (it uses the paper's policy: missing counts as no).
    if (!drop) {
        pack::VerdictExportOptions eo;
        eo.out = f->dir.filePath(QStringLiteral("verdicts.jsonl"));
        auto exported = pack::exportVerdicts(db.value(), eo);
        QVERIFY2(exported.ok(), qPrintable(exported.error().toString()));
        QFile file(eo.out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        int lines = 0;
        while (!file.atEnd()) {
            const QJsonObject line = QJsonDocument::fromJson(file.readLine()).object();
            QCOMPARE(line.value(QStringLiteral("reward")).toDouble(),
                     scoreOf.value(line.value(QStringLiteral("response_id")).toInteger()));
            ++lines;
        }
        QCOMPARE(lines, 5);
    }
}

void TestVerdictTally::duplicateCriteria_shareVotesAndOverrides() {
    auto f = build();
    QVERIFY(f);
    auto db = store::Database::open(f->path, store::Database::Mode::ReadOnly);
    auto metrics = analytics::loadMetricData(db.value(), {});
    QVERIFY(metrics.ok());
    // France's rubric: three criteria, the first two identical; m2's verdicts.
    const qint64 m2 = f->response.value(QStringLiteral("m2N"));
    for (std::size_t i = 0; i < metrics->responses.size(); ++i) {
        if (metrics->responses[i].responseId != m2)
            continue;
        const auto &v = metrics->verdicts[i];
        QCOMPARE(v.size(), std::size_t(3));
        QCOMPARE(v[0], analytics::Verdict::Yes);
        QCOMPARE(v[1], analytics::Verdict::Yes); // once read as missing by the metrics
        QCOMPARE(v[2], analytics::Verdict::Missing);
    }
    judge::TallyOptions to;
    auto tally = judge::VerdictTally::load(db.value(), to);
    QVERIFY(tally.ok());
    for (const judge::TallyResponse &r : tally->responses()) {
        if (r.responseId != m2)
            continue;
        QCOMPARE(tally->counts(r.firstCell).yes, 2);
        QCOMPARE(tally->counts(r.firstCell + 1).yes, 2);
        QCOMPARE(tally->counts(r.firstCell + 1).no, 1);
        QCOMPARE(tally->counts(r.firstCell + 2).total(), 0);
    }
    // The scores count both copies as judged, the unjudged sentence not; m3's errors as failed.
    auto scores = judge::computeScores(db.value(), {});
    QVERIFY(scores.ok());
    for (const judge::ResponseScore &s : scores.value()) {
        if (s.responseId == m2) {
            QCOMPARE(s.criteria, 3);
            QCOMPARE(s.judged, 2);
            QCOMPARE(s.failed, 0);
        }
        if (s.responseId == f->response.value(QStringLiteral("m3N"))) {
            QCOMPARE(s.judged, 1);
            QCOMPARE(s.failed, 2);
        }
    }
}

void TestVerdictTally::votesPerGrading_feedTheGradingRewards() {
    auto f = build();
    QVERIFY(f);
    auto db = store::Database::open(f->path, store::Database::Mode::ReadOnly);
    auto metrics = analytics::loadMetricData(db.value(), {});
    QVERIFY(metrics.ok());
    QCOMPARE(metrics->gradings, 3);
    const qint64 m1 = f->response.value(QStringLiteral("m1N"));
    const qint64 m2 = f->response.value(QStringLiteral("m2N"));
    for (const analytics::ResponseFacts &r : metrics->responses) {
        if (r.responseId == m1) {
            // Grading 0: all yes → 1; grading 1: Paris yes, sentence no → 4/5; grading 2: error →
            // 4/5.
            QCOMPARE(r.gradingRewards, (std::vector<double>{1.0, 4.0 / 5, 4.0 / 5}));
        }
        if (r.responseId == m2)
            QCOMPARE(r.gradingRewards, (std::vector<double>{4.0 / 5, 4.0 / 5, 0.0}));
    }
    // Flips: m1's sentence (yes/no) and m2's Paris, both copies. Repeated: cells with at least
    // two usable votes (m1: 3, m2: 2, m3's sentence, m2's greeting).
    QCOMPARE(metrics->flippedCells, qint64(3));
    QCOMPARE(metrics->repeatedCells, qint64(7));
}

QTEST_GUILESS_MAIN(TestVerdictTally)
#include "tst_verdicttally.moc"
