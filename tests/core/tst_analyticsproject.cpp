// Metrics over real project files: the loader agrees with the scorer, reliability counts
// what a user would count by hand, the pairwise import joins AlpacaEval annotations (the
// fixture's, and the real ones when present), and the style confound finds the judge's length
// bias in them.
#include "analytics/projectmetrics.h"
#include "analytics/reliability.h"
#include "analytics/styleconfound.h"
#include "datasupport.h"
#include "judge/judgetemplate.h"
#include "judge/scorereader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

#include <cmath>

using namespace rs;
using namespace rs::analytics;

namespace {

store::Database readOnly(const QString &path) {
    auto db = store::Database::open(path, store::Database::Mode::ReadOnly);
    if (!db)
        qFatal("open: %s", qPrintable(db.error().toString()));
    return std::move(db.value());
}

import::ImportResult importFile(store::ProjectStore &store, const QString &file,
                                import::Format format){import::ImportConfig config;
config.files = {file};
config.format = format;
auto r = import::importFiles(store, config, {});
if (!r)
    qFatal("import: %s", qPrintable(r.error().toString()));
return r.value();
} // namespace

struct CliRun {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

CliRun cli(const QStringList &args) {
    QProcess p;
    p.start(QStringLiteral(RS_CLI), args);
    p.waitForFinished(120000);
    return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
}

Expected<void> sql(store::ProjectStore &store, const QString &text) {
    return store.writer().write([&](store::Database &db) { return db.exec(text.toStdString()); });
}

} // namespace

class AnalyticsProject final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void loader_rewardsEqualScorer_flipsKappaAndRunAgreement() {
        QTemporaryDir dir;
        auto store = test::newProject(dir);
        const QString rollouts = test::writeFile(
            dir, QStringLiteral("r.json"),
            "[{\"id\": \"p1\", \"prompt\": \"Explain tides.\", \"responses\": ["
            "{\"generator\": \"a\", \"response\": \"The moon pulls.\"},"
            "{\"generator\": \"b\", \"response\": \"- Gravity\\n- Rotation\\n# Summary\"},"
            "{\"generator\": \"c\", \"response\": \"Tides are caused by the moon and the sun.\"},"
            "{\"generator\": \"d\", \"response\": \"No idea.\"}]}]");
        importFile(*store, rollouts, import::Format::Rollouts);
        const QString rubric =
            test::writeFile(dir, QStringLiteral("b.jsonl"),
                            "{\"prompt\": \"Explain tides.\", \"rubrics\": [{\"criterion\": "
                            "\"Mentions the moon\", \"weight\": 1},"
                            "{\"criterion\": \"Mentions the sun\", \"weight\": 2}, {\"criterion\": "
                            "\"Is correct\", \"weight\": 3}]}\n");
        importFile(*store, rubric, import::Format::Rubrics);

        const qint64 h[3] = {judge::criterionHash(QStringLiteral("Mentions the moon"), 1, false),
                             judge::criterionHash(QStringLiteral("Mentions the sun"), 2, false),
                             judge::criterionHash(QStringLiteral("Is correct"), 3, false)};
        // Run 1: three gradings. Cells (response, criterion) -> the three verdicts.
        const char *v[4][3] = {{"yyy", "nnn", "yny"},  // a: c3 flips (2 yes of 3)
                               {"nnn", "nnn", "nnn"},  // b
                               {"yyy", "yyn", "yyy"},  // c: c2 flips
                               {"nnn", "nny", "n?n"}}; // d: c2 flips, c3 has an error
        QString text =
            QStringLiteral("INSERT INTO judge_runs(id, name, provider, model, mode, gradings,"
                           " template, template_version) VALUES"
                           " (1, 'r1', 'x', 'm', 'all_in_one', 3, 't', 'v'),"
                           " (2, 'r2', 'x', 'm2', 'all_in_one', 1, 't', 'v');");
        for (int r = 0; r < 4; ++r)
            for (int c = 0; c < 3; ++c)
                for (int g = 0; g < 3; ++g) {
                    const char ch = v[r][c][g];
                    const QString verdict = ch == 'y'   ? QStringLiteral("yes")
                                            : ch == 'n' ? QStringLiteral("no")
                                                        : QStringLiteral("error");
                    text +=
                        QStringLiteral(
                            "INSERT INTO verdicts(run_id, response_id, criterion_hash, stable_id,"
                            " grading, verdict) VALUES(1, %1, %2, 'c%3', %4, '%5');")
                            .arg(r + 1)
                            .arg(h[c])
                            .arg(c + 1)
                            .arg(g)
                            .arg(verdict);
                    // Run 2 (one grading) agrees with run 1's majority except on (a, c1).
                    if (g == 0) {
                        const bool yes = QByteArray(v[r][c]).count('y') >= 2;
                        const bool flip = r == 0 && c == 0;
                        text +=
                            QStringLiteral(
                                "INSERT INTO verdicts(run_id, response_id, criterion_hash,"
                                " stable_id, grading, verdict) VALUES(2, %1, %2, 'c%3', 0, '%4');")
                                .arg(r + 1)
                                .arg(h[c])
                                .arg(c + 1)
                                .arg((yes != flip) ? QStringLiteral("yes") : QStringLiteral("no"));
                    }
                }
        // A human overrides the judge on (b, c3): judge said no, human says yes.
        text += QStringLiteral(
                    "INSERT INTO overrides(response_id, rubric_id, stable_id, criterion_hash,"
                    " verdict, author) VALUES(2, 1, 'c3', %1, 'yes', 'me');")
                    .arg(h[2]);
        text +=
            QStringLiteral("UPDATE responses SET tier = CASE generator WHEN 'c' THEN 'excellent'"
                           " WHEN 'a' THEN 'great' WHEN 'b' THEN 'great' ELSE 'good' END;");
        QVERIFY(sql(*store, text).ok());

        auto db = readOnly(dir.filePath(QStringLiteral("p.rubrics")));
        MetricOptions o;
        o.runId = 1;
        auto data = loadMetricData(db, o);
        QVERIFY(data.ok());
        QCOMPARE(data->gradings, 3);
        judge::ScoreOptions so;
        so.runId = 1;
        auto scores = judge::computeScores(db, so);
        QVERIFY(scores.ok());
        QCOMPARE(int(scores->size()), 4);
        for (const auto &s : scores.value()) {
            const auto it =
                std::find_if(data->responses.begin(), data->responses.end(),
                             [&](const ResponseFacts &f) { return f.responseId == s.responseId; });
            QVERIFY(it != data->responses.end());
            QCOMPARE(it->reward, s.reward);
        }
        // a: c1 yes, c2 no, c3 yes (2 of 3) -> (1 + 3) / 6; its third grading alone: c3 yes too.
        QCOMPARE(data->responses[0].reward, 4.0 / 6);
        QCOMPARE(data->responses[0].gradingRewards[1], 1.0 / 6);
        // b: the override makes c3 yes in every grading.
        QCOMPARE(data->responses[1].reward, 3.0 / 6);

        // 12 cells judged at least twice; a-c3, c-c2 and d-c2 mix yes and no. d-c3 (no, error,
        // no) is not a flip: an error is no opinion.
        JudgeReliability rel = judgeReliability(data.value());
        QCOMPARE(rel.flipRate->n, 12);
        QCOMPARE(rel.flipRate->value, 3.0 / 12);
        // One override (b-c3), made where the judge said no: a correction, not an agreement sample.
        QCOMPARE(rel.overrides, 1);
        QCOMPARE(rel.overridesAgainstJudge, 1);

        auto other = loadRunVerdicts(db, data.value(), 2);
        QVERIFY(other.ok());
        rel = judgeReliability(data.value(), &other.value(), 2);
        QCOMPARE(rel.runAgreement->n, 12);
        QCOMPARE(rel.runAgreement->value, 11.0 / 12);

        // The whole set at once, with excellent (c) against great (a, b) on the same prompt.
        auto all = computeProjectMetrics(db, o);
        QVERIFY(all.ok());
        QCOMPARE(all->reliability.compareRunId, 0); // run 1 has no earlier run
        QCOMPARE(all->separation.auc->value, 1.0);  // c outscores both a and b
        QCOMPARE(all->separation.auc->n, 2);
        QVERIFY(!all->tail.high); // no gold preferences yet
        QVERIFY(all->timeline.rounds.empty());
    }

    void pairwiseImport_annotations_findGoldLengthBias_data() { test::addCorpusRows(); }
    void pairwiseImport_annotations_findGoldLengthBias() {
        RS_FETCH_CORPUS(test::alpacaDir);
        const test::AnnotationFacts &facts = test::alpacaFacts(corpus).annotations;
        const QString folder = test::alpacaDir(corpus) + QLatin1Char('/');
        QTemporaryDir dir;
        auto store = test::newProject(dir);
        // The reference model's outputs first: the annotations must match them, not add copies.
        const auto outputs = importFile(
            *store, folder + facts.referenceModel + QStringLiteral(".json"), import::Format::Auto);
        QCOMPARE(outputs.responsesAdded, facts.pairs);
        const auto pw = importFile(*store, folder + facts.file,
                                   import::Format::Auto); // detected as pairwise
        QCOMPARE(pw.formats.first(), import::Format::Pairwise);
        QCOMPARE(pw.preferencesAdded, facts.pairs);
        QCOMPARE(pw.responsesAdded, facts.pairs); // only the judged model's outputs are new
        QCOMPARE(test::stats(*store).responses, 2 * facts.pairs);

        auto db = readOnly(dir.filePath(QStringLiteral("p.rubrics")));
        auto data = loadMetricData(db, MetricOptions{});
        QVERIFY(data.ok());
        QCOMPARE(int(data->gold.size()), facts.pairs);
        const StyleConfound style = styleConfound(data.value(), MetricOptions{});
        // The judge's preference against the length difference: on the real data the
        // GPT-4-turbo judge's known bias for longer answers, far from chance; on the fixture's
        // eight pairs a clear but not significant one. Both measured with a Python script.
        QVERIFY(style.goldLength);
        QCOMPARE(style.goldLength->n, facts.pairs);
        QVERIFY2(style.goldLength->rho > facts.rhoMin && style.goldLength->rho < facts.rhoMax,
                 qPrintable(QString::number(style.goldLength->rho)));
        QVERIFY2(style.goldLength->pValue >= facts.pMin && style.goldLength->pValue < facts.pMax,
                 qPrintable(QString::number(style.goldLength->pValue)));
        QVERIFY(!style.rewardLength); // nothing judged: no reward side

        // The gold scores make the reference model win most pairs.
        double refGold = 0;
        int refN = 0;
        for (const ResponseFacts &f : data->responses)
            if (f.generator == facts.referenceModel && f.gold) {
                refGold += *f.gold;
                ++refN;
            }
        QCOMPARE(refN, facts.pairs);
        QVERIFY2(refGold / refN > facts.referenceGoldAbove,
                 qPrintable(QString::number(refGold / refN)));
    }

    void pairwiseImport_badPreference_reportsFileAndLine() {
        QTemporaryDir dir;
        auto store = test::newProject(dir);
        const QString file = test::writeFile(dir, QStringLiteral("a.jsonl"),
                                             "{\"instruction\": \"Q\", \"output_1\": \"x\", "
                                             "\"generator_1\": \"m1\", \"output_2\": \"y\","
                                             " \"generator_2\": \"m2\", \"preference\": 1.0}\n"
                                             "{\"instruction\": \"Q2\", \"output_1\": \"x\", "
                                             "\"generator_1\": \"m1\", \"output_2\": \"y\","
                                             " \"generator_2\": \"m2\", \"preference\": 3.5}\n");
        import::ImportConfig config;
        config.files = {file};
        config.format = import::Format::Pairwise;
        auto r = import::importFiles(*store, config, {});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().line, 2);
        QVERIFY(r.error().message.contains(QStringLiteral("3.5")));
        QCOMPARE(test::stats(*store).responses, 0); // the import rolled back whole
        QVERIFY(import::formatFromName(QStringLiteral("pairwise")) == import::Format::Pairwise);
    }

    void cli_metricsJsonKeys_theoryClosedForm_usageErrors() {
        QTemporaryDir dir;
        const QString project = dir.filePath(QStringLiteral("c.rubrics"));
        QCOMPARE(cli({QStringLiteral("new"), project}).exitCode, 0);
        const QString file = test::writeFile(
            dir, QStringLiteral("a.json"),
            "[{\"instruction\": \"Q\", \"output_1\": \"short\", \"generator_1\": \"m1\","
            " \"output_2\": \"a longer answer\", \"generator_2\": \"m2\", \"preference\": 2.0}]");
        const CliRun imp = cli({QStringLiteral("import"), project, file, QStringLiteral("--format"),
                                QStringLiteral("pairwise")});
        QCOMPARE(imp.exitCode, 0);
        QVERIFY(imp.out.contains("1 gold preferences"));

        const CliRun m = cli({QStringLiteral("metrics"), project, QStringLiteral("--json")});
        QCOMPARE(m.exitCode, 0);
        const QJsonObject j = QJsonDocument::fromJson(m.out).object();
        for (const char *key : {"tail_accuracy_high", "tail_accuracy_low", "top_tier_auc",
                                "reward_length_spearman", "gold_length_spearman"})
            QVERIFY2(j.contains(QLatin1String(key)), key);
        QVERIFY(j.value(QStringLiteral("tail_accuracy_high")).isNull()); // nothing judged
        QCOMPARE(j.value(QStringLiteral("gold_pairs")).toInt(), 1);
        QVERIFY(
            j.value(QStringLiteral("gold_length_spearman")).isNull()); // one pair: no correlation

        const CliRun t =
            cli({QStringLiteral("theory"), QStringLiteral("--beta"), QStringLiteral("0.2"),
                 QStringLiteral("--mapping"), QStringLiteral("correct"), QStringLiteral("--json")});
        QCOMPARE(t.exitCode, 0);
        const QJsonObject point = QJsonDocument::fromJson(t.out)
                                      .object()[QStringLiteral("curves")]
                                      .toArray()[0]
                                      .toObject()[QStringLiteral("points")]
                                      .toArray()[0]
                                      .toObject();
        const double e = std::exp(1 / 0.2);
        QVERIFY(qAbs(point[QStringLiteral("kl")].toDouble() -
                     (e / (0.2 * (e - 1)) - 1 - std::log(0.2) - std::log(e - 1))) < 1e-6);
        QVERIFY(qAbs(point[QStringLiteral("win")].toDouble() - (e / (e - 1) - 0.2)) < 1e-6);

        QCOMPARE(cli({QStringLiteral("theory"), QStringLiteral("--beta"), QStringLiteral("0.2"),
                      QStringLiteral("--mapping"), QStringLiteral("sideways")})
                     .exitCode,
                 2);
        QCOMPARE(cli({QStringLiteral("theory"), QStringLiteral("--beta"), QStringLiteral("-1")})
                     .exitCode,
                 2);
        QCOMPARE(cli({QStringLiteral("metrics"), project, QStringLiteral("--ties"),
                      QStringLiteral("maybe")})
                     .exitCode,
                 2);
        QCOMPARE(cli({QStringLiteral("metrics"), dir.filePath(QStringLiteral("missing.rubrics"))})
                     .exitCode,
                 1);

        const QString curves =
            test::writeFile(dir, QStringLiteral("curves.csv"),
                            "step,win_rate,rubric_reward\n0,0.2,0.1\n50,0.4,0.5\n100,0.3,0.8\n");
        QCOMPARE(cli({QStringLiteral("import-curves"), project, curves}).exitCode, 0);
        const QJsonObject j2 =
            QJsonDocument::fromJson(
                cli({QStringLiteral("metrics"), project, QStringLiteral("--json")}).out)
                .object();
        const QJsonObject curve = j2[QStringLiteral("training_curves")].toArray()[0].toObject();
        QCOMPARE(curve[QStringLiteral("arm")].toString(), QStringLiteral("curves"));
        QCOMPARE(curve[QStringLiteral("peak")].toObject()[QStringLiteral("step")].toInt(), 50);
    }

    void timeline_fromRtdVersions() {
        QTemporaryDir dir;
        auto store = test::newProject(dir);
        auto db0 = readOnly(dir.filePath(QStringLiteral("p.rubrics")));
        {
            auto data = loadMetricData(db0, MetricOptions{});
            auto t = refinementTimeline(db0, data.value(), MetricOptions{});
            QVERIFY(t.ok());
            QVERIFY(t->rounds.empty()); // no RTD versions: empty, not an error
        }
        QVERIFY(sql(*store,
                    QStringLiteral(
                        "INSERT INTO prompts(id, text) VALUES (1, 'p1'), (2, 'p2');"
                        "INSERT INTO responses(id, prompt_id, generator, text, text_hash) VALUES"
                        " (1, 1, 'a', 'x', 1), (2, 1, 'b', 'y', 2), (3, 2, 'a', 'z', 3), (4, 2, "
                        "'b', 'w', 4);"
                        "INSERT INTO preferences(prompt_id, response_a, response_b, preference, "
                        "source) VALUES"
                        " (1, 1, 2, 1.0, 'human'), (2, 3, 4, 0.0, 'human');"
                        "INSERT INTO rubrics(id, prompt_id) VALUES (1, 1), (2, 2);"
                        "INSERT INTO rubric_versions(rubric_id, origin, origin_detail) VALUES"
                        " (1, 'rtd', '{\"round\": 1, \"pair\": [1, 2], \"scores\": [0.8, 0.6], "
                        "\"top_score\": 0.8, \"ties_at_top\": 1}'),"
                        " (1, 'rtd', '{\"round\": 2, \"pair\": [1, 2], \"scores\": [0.7, 0.7], "
                        "\"top_score\": 0.7, \"ties_at_top\": 2}'),"
                        " (2, 'rtd', '{\"round\": 1, \"pair\": [3, 4], \"scores\": [0.9, 0.5], "
                        "\"top_score\": 0.9, \"ties_at_top\": 1}');"))
                    .ok());
        auto db = readOnly(dir.filePath(QStringLiteral("p.rubrics")));
        auto data = loadMetricData(db, MetricOptions{});
        auto t = refinementTimeline(db, data.value(), MetricOptions{});
        QVERIFY(t.ok());
        QCOMPARE(int(t->rounds.size()), 3);
        QCOMPARE(int(t->summary.size()), 2);
        const RoundSummary &r1 = t->summary[0];
        QCOMPARE(r1.prompts, 2);
        QVERIFY(qAbs(*r1.meanTopScore - 0.85) < 1e-12);
        // Prompt 1 round 1 ranked A over B against gold (B): wrong; prompt 2 agreed with gold.
        QCOMPARE(r1.tailAccuracy->value, 0.5);
        const RoundSummary &r2 = t->summary[1];
        QCOMPARE(r2.tieRate->value, 1.0);
        QCOMPARE(r2.tailAccuracy->value, 0.0); // a tie counts wrong by default
    }
};

QTEST_GUILESS_MAIN(AnalyticsProject)
#include "tst_analyticsproject.moc"
