// Trust in the numbers (issue 15): the cluster bootstrap reproduces a plain re-sampling loop
// with the same seed, kappa and alpha match hand computations, and blind labels go from a
// stratified sample through import and export into judge-vs-human agreement.
#include "analytics/agreement.h"
#include "analytics/clusterbootstrap.h"
#include "analytics/projectmetrics.h"
#include "analytics/stats.h"
#include "datasupport.h"
#include "judge/judgetemplate.h"
#include "judge/fewshotexamples.h"
#include "judge/judgecascade.h"
#include "judge/judgepanel.h"
#include "judge/judgeplan.h"
#include "judge/verdicttally.h"
#include "labels/cellid.h"
#include "labels/corrections.h"
#include "labels/labelsampler.h"
#include "labels/labelstore.h"
#include "testsupport.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTest>

#include <cmath>
#include <map>
#include <set>
#include <random>

using namespace rs;
using namespace rs::analytics;

namespace {

// A plain bootstrap: materialise each replicate's rows from its draws and compute the
// statistic the ordinary way. The engine must give the same replicate values.
template <typename Stat>
std::vector<double> plainLoop(int clusters, int B, std::uint64_t seed,
                              const std::vector<ClusterItem> &items, Stat stat) {
    std::vector<double> out;
    for (int b = 0; b < B; ++b) {
        std::vector<ClusterItem> resample;
        for (const int c : replicateDraws(clusters, seed, b))
            for (const ClusterItem &i : items)
                if (i.cluster == c)
                    resample.push_back(i);
        out.push_back(stat(resample));
    }
    return out;
}

std::vector<ClusterItem> randomItems(int clusters, int perCluster, unsigned seed, int levels) {
    std::mt19937 rng(seed);
    std::vector<ClusterItem> items;
    for (int c = 0; c < clusters; ++c)
        for (int k = 0; k < perCluster + int(rng() % 3); ++k)
            // Few levels, so ties are common (rewards and tiers are coarse).
            items.push_back({double(rng() % unsigned(levels)), double(rng() % unsigned(levels)), c});
    return items;
}

void compareValues(const std::vector<double> &engine, const std::vector<double> &plain) {
    QCOMPARE(engine.size(), plain.size());
    for (std::size_t b = 0; b < engine.size(); ++b) {
        if (std::isnan(plain[b])) {
            QVERIFY2(std::isnan(engine[b]), qPrintable(QString::number(b)));
            continue;
        }
        QVERIFY2(std::abs(engine[b] - plain[b]) < 1e-9,
                 qPrintable(QStringLiteral("replicate %1: %2 vs %3").arg(b).arg(engine[b]).arg(plain[b])));
    }
}

store::Database readOnly(const QString &path) {
    auto db = store::Database::open(path, store::Database::Mode::ReadOnly);
    if (!db)
        qFatal("open: %s", qPrintable(db.error().toString()));
    return std::move(db.value());
}

Expected<void> sql(store::ProjectStore &store, const QString &text) {
    return store.writer().write([&](store::Database &db) { return db.exec(text.toStdString()); });
}

// Two prompts x 6 responses (tiers great/good alternating) x 3 criteria, judged once; the
// judge's verdict of (response r, criterion c) is yes when (r + c) % 3 != 0.
struct LabelProject {
    QTemporaryDir dir;
    std::unique_ptr<store::ProjectStore> store;
    QString path;
    bool judge(int response, int criterion) const { return (response + criterion) % 3 != 0; }
};

std::unique_ptr<LabelProject> labelProject() {
    auto p = std::make_unique<LabelProject>();
    p->store = test::newProject(p->dir);
    p->path = p->store->writer().path();
    QString rollouts = QStringLiteral("[");
    QString rubrics;
    for (int q = 1; q <= 2; ++q) {
        rollouts += QStringLiteral("%1{\"id\": \"p%2\", \"prompt\": \"Question %2?\", \"responses\": [")
                        .arg(q == 1 ? QString() : QStringLiteral(","))
                        .arg(q);
        for (int g = 0; g < 6; ++g)
            rollouts += QStringLiteral("%1{\"generator\": \"g%2\", \"response\": \"Answer %3 to %4.\"}")
                            .arg(g ? QStringLiteral(",") : QString())
                            .arg(g)
                            .arg(g)
                            .arg(q);
        rollouts += QStringLiteral("]}");
        rubrics += QStringLiteral("{\"prompt\": \"Question %1?\", \"rubrics\": ["
                                  "{\"criterion\": \"Is short\", \"weight\": 1},"
                                  "{\"criterion\": \"Is polite\", \"weight\": 1},"
                                  "{\"criterion\": \"Is right\", \"weight\": 2}]}\n")
                       .arg(q);
    }
    rollouts += QStringLiteral("]");
    const auto importOne = [&](const QString &name, const QString &text, import::Format f) {
        import::ImportConfig config;
        config.files = {test::writeFile(p->dir, name, text.toUtf8())};
        config.format = f;
        if (auto r = import::importFiles(*p->store, config, {}); !r)
            qFatal("import: %s", qPrintable(r.error().toString()));
    };
    importOne(QStringLiteral("r.json"), rollouts, import::Format::Rollouts);
    importOne(QStringLiteral("b.jsonl"), rubrics, import::Format::Rubrics);
    const QString texts[3] = {QStringLiteral("Is short"), QStringLiteral("Is polite"),
                              QStringLiteral("Is right")};
    const double weights[3] = {1, 1, 2};
    QString text = QStringLiteral(
        "UPDATE responses SET tier = CASE WHEN id % 2 = 1 THEN 'great' ELSE 'good' END;"
        "INSERT INTO judge_runs(id, name, provider, model, mode, gradings, template,"
        " template_version) VALUES (1, 'r1', 'x', 'judge-model', 'all_in_one', 1, 't', 'v');");
    for (int r = 1; r <= 12; ++r)
        for (int c = 0; c < 3; ++c)
            text += QStringLiteral("INSERT INTO verdicts(run_id, response_id, criterion_hash,"
                                   " stable_id, grading, verdict, rationale)"
                                   " VALUES(1, %1, %2, 'c%3', 0, '%4', 'because %1/%3');")
                        .arg(r)
                        .arg(judge::criterionHash(texts[c], weights[c], false))
                        .arg(c + 1)
                        .arg(p->judge(r, c + 1) ? QStringLiteral("yes") : QStringLiteral("no"));
    if (auto r = sql(*p->store, text); !r)
        qFatal("sql: %s", qPrintable(r.error().toString()));
    return p;
}

QString labelFile(const QTemporaryDir &dir, const QString &name, const QStringList &lines) {
    return test::writeFile(dir, name, lines.join(QLatin1Char('\n')).toUtf8() + '\n');
}

} // namespace

class Trust final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void kappa_matchesHandComputation() {
        // 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no: po = .7, pe = .5*.6 + .5*.4 = .5.
        QCOMPARE(*kappaOfTable({20, 5, 10, 15}), 0.4);
        std::vector<bool> a, b;
        const int counts[4] = {20, 5, 10, 15};
        for (int k = 0; k < 4; ++k)
            for (int i = 0; i < counts[k]; ++i) {
                a.push_back(k < 2);
                b.push_back(k == 0 || k == 2);
            }
        QVERIFY(std::abs(*stats::cohenKappa(a, b) - 0.4) < 1e-12);
        QVERIFY(!kappaOfTable({0, 0, 0, 0}));
        QCOMPARE(*kappaOfTable({7, 0, 0, 0}), 1.0); // one label throughout, all agree
    }

    void krippendorffAlpha_matchesHandComputation() {
        // Coincidences: o11 = 3, o00 = 2, o01 = o10 = 2; n1 = 5, n0 = 4, n = 9;
        // alpha = 1 - (o01 + o10) / (2 n0 n1 / (n - 1)) = 1 - 4 / 5.
        const auto a = krippendorffAlpha({{true, true}, {false, false}, {true, false},
                                          {true, true, false}, {true}});
        QVERIFY(a);
        QVERIFY(std::abs(*a - 0.2) < 1e-12);
        QVERIFY(!krippendorffAlpha({{true, true}, {true, true}})); // no variation at all
        // Two coders who always agree: 1; who always disagree on balanced data: below 0.
        QCOMPARE(*krippendorffAlpha({{true, true}, {false, false}}), 1.0);
        QVERIFY(*krippendorffAlpha({{true, false}, {false, true}}) < 0);
    }

    void bootstrap_ratioSpearmanAucKappa_matchPlainResamplingLoop() {
        const int P = 17, B = 200;
        const std::uint64_t seed = 42;
        const std::vector<ClusterItem> items = randomItems(P, 5, 7, 4);
        ClusterBootstrap boot(P, B, seed);

        std::vector<double> num(P, 0), den(P, 0);
        std::vector<std::array<double, 4>> tables(P, std::array<double, 4>{});
        std::vector<ClusterItem> aucItems;
        for (const ClusterItem &i : items) {
            num[std::size_t(i.cluster)] += i.x;
            den[std::size_t(i.cluster)] += 1;
            const bool r1 = i.x >= 2, r2 = i.y >= 2;
            tables[std::size_t(i.cluster)][r1 ? (r2 ? 0 : 1) : (r2 ? 2 : 3)] += 1;
            aucItems.push_back({i.x + i.y, (i.x >= 2) ? 1.0 : 0.0, i.cluster});
        }
        const int ratio = boot.addRatio(num, den);
        const int rho = boot.addSpearman(items);
        const int auc = boot.addAuc(aucItems);
        const int kappa = boot.addKappa(tables);
        boot.run(3); // threads must not change a replicate

        const double nan = std::nan("");
        compareValues(boot.values(ratio), plainLoop(P, B, seed, items, [&](const auto &rs) {
                          double s = 0;
                          for (const ClusterItem &i : rs)
                              s += i.x;
                          return rs.empty() ? nan : s / double(rs.size());
                      }));
        compareValues(boot.values(rho), plainLoop(P, B, seed, items, [&](const auto &rs) {
                          std::vector<double> x, y;
                          for (const ClusterItem &i : rs) {
                              x.push_back(i.x);
                              y.push_back(i.y);
                          }
                          const auto c = stats::spearman(x, y);
                          return c ? c->rho : nan;
                      }));
        compareValues(boot.values(auc), plainLoop(P, B, seed, aucItems, [&](const auto &rs) {
                          std::vector<double> a, b;
                          for (const ClusterItem &i : rs)
                              (i.y == 1 ? a : b).push_back(i.x);
                          return stats::auc(a, b).value_or(nan);
                      }));
        compareValues(boot.values(kappa), plainLoop(P, B, seed, items, [&](const auto &rs) {
                          std::vector<bool> r1, r2;
                          for (const ClusterItem &i : rs) {
                              r1.push_back(i.x >= 2);
                              r2.push_back(i.y >= 2);
                          }
                          return stats::cohenKappa(r1, r2).value_or(nan);
                      }));

        // The interval is the 2.5% and 97.5% type-7 quantiles of the defined replicates.
        std::vector<double> defined;
        for (const double v : boot.values(rho))
            if (!std::isnan(v))
                defined.push_back(v);
        const auto ci = boot.interval(rho);
        QVERIFY(ci);
        QCOMPARE(ci->low, *stats::quantile(defined, 0.025));
        QCOMPARE(ci->high, *stats::quantile(defined, 0.975));

        // The same seed gives the same intervals; another seed other ones.
        ClusterBootstrap again(P, B, seed), other(P, B, seed + 1);
        const int r1 = again.addSpearman(items), r2 = other.addSpearman(items);
        again.run(1);
        other.run(2);
        QCOMPARE(again.interval(r1)->low, ci->low);
        QVERIFY(other.values(r2) != boot.values(rho));
    }

    void sample_isBlindStratifiedSeededAndSkipsLabelledCells() {
        auto p = labelProject();
        auto db = readOnly(p->path);
        labels::SampleOptions o;
        o.n = 8;
        o.seed = 3;
        auto first = labels::sampleCells(db, o);
        QVERIFY2(first.ok(), qPrintable(first.error().toString()));
        QCOMPARE(int(first->size()), 8);
        auto second = labels::sampleCells(db, o);
        QVERIFY(second.ok());
        // Strata: judge yes/no x great/good, 2 each out of 8.
        std::map<std::pair<bool, QString>, int> strata;
        for (std::size_t i = 0; i < first->size(); ++i) {
            const labels::SampledCell &c = first.value()[i];
            QCOMPARE(c.stableId, second.value()[i].stableId); // same seed, same sample
            QCOMPARE(c.responseId, second.value()[i].responseId);
            QVERIFY(c.response.startsWith(QStringLiteral("Answer ")));
            QVERIFY(c.prompt.startsWith(QStringLiteral("Question ")));
            const int criterion = c.stableId.mid(1).toInt();
            strata[{p->judge(int(c.responseId), criterion), c.tier}] += 1;
        }
        QCOMPARE(int(strata.size()), 4);
        for (const auto &[key, n] : strata)
            QCOMPARE(n, 2);

        // Every cell once: 36 judged cells in all; asking for more gives them all, no repeats.
        o.n = 100;
        auto all = labels::sampleCells(db, o);
        QVERIFY(all.ok());
        QCOMPARE(int(all->size()), 36);

        // Cells labelled yes/no are not sampled again; skipped ones are.
        const labels::SampledCell &c0 = first->front(), &c1 = first->at(1);
        QVERIFY(labels::writeLabel(*p->store, {c0.responseId, c0.stableId, c0.criterion,
                                               QStringLiteral("ann"), labels::LabelValue::Yes, {}}).ok());
        QVERIFY(labels::writeLabel(*p->store, {c1.responseId, c1.stableId, c1.criterion,
                                               QStringLiteral("ann"), labels::LabelValue::Skip, {}}).ok());
        auto db2 = readOnly(p->path);
        auto rest = labels::sampleCells(db2, o);
        QVERIFY(rest.ok());
        QCOMPARE(int(rest->size()), 35);
    }

    void import_badLineNamesFileAndLineAndStoresNothing() {
        auto p = labelProject();
        const QString good = labels::cellId(1, QStringLiteral("c1"));
        const QStringList cases[] = {
            {QStringLiteral("{\"cell\": \"%1\", \"label\": \"yes\"}").arg(good),
             QStringLiteral("{\"cell\": \"%1\", \"label\": \"maybe\"}").arg(good)},
            {QStringLiteral("{\"cell\": \"%1\", \"label\": \"yes\"}").arg(good),
             QStringLiteral("{\"cell\": \"1/c9\", \"label\": \"no\"}")},
            {QStringLiteral("{\"cell\": \"%1\", \"label\": \"yes\"}").arg(good),
             QStringLiteral("not json")},
            {QStringLiteral("{\"cell\": \"%1\", \"label\": \"yes\"}").arg(good),
             QStringLiteral("{\"cell\": \"%1\", \"label\": \"no\", \"criterion\": \"Was short\"}").arg(good)},
        };
        for (const QStringList &lines : cases) {
            const QString path = labelFile(p->dir, QStringLiteral("bad.jsonl"), lines);
            auto r = labels::importLabels(*p->store, path, QStringLiteral("ann"));
            QVERIFY(!r.ok());
            QCOMPARE(r.error().file, path);
            QCOMPARE(r.error().line, qint64(2));
        }
        auto db = readOnly(p->path);
        QCOMPARE(labels::readLabels(db)->size(), std::size_t(0));
    }

    void importExport_roundTripsAndAgreementMatchesPlainKappaAndAlpha() {
        auto p = labelProject();
        // Alice labels every cell, disagreeing with the judge on every 4th; Bob labels the
        // first 24, disagreeing on every 3rd.
        QStringList alice, bob;
        std::vector<bool> judgeSays, aliceSays;
        std::vector<std::vector<bool>> units;
        int i = 0;
        for (int r = 1; r <= 12; ++r)
            for (int c = 1; c <= 3; ++c, ++i) {
                const bool j = p->judge(r, c);
                const bool a = i % 4 ? j : !j;
                const QString cell = labels::cellId(r, QStringLiteral("c%1").arg(c));
                alice << QStringLiteral("{\"cell\": \"%1\", \"label\": \"%2\"}").arg(cell, a ? QStringLiteral("yes") : QStringLiteral("no"));
                judgeSays.push_back(j);
                aliceSays.push_back(a);
                std::vector<bool> unit{a};
                if (i < 24) {
                    const bool b = i % 3 ? j : !j;
                    bob << QStringLiteral("{\"cell\": \"%1\", \"label\": \"%2\"}").arg(cell, b ? QStringLiteral("yes") : QStringLiteral("no"));
                    unit.push_back(b);
                }
                units.push_back(unit);
            }
        bob << QStringLiteral("{\"cell\": \"1/c1\", \"label\": \"skip\"}"); // replaces Bob's 1/c1
        units[0].pop_back();
        auto ra = labels::importLabels(*p->store, labelFile(p->dir, QStringLiteral("a.jsonl"), alice),
                                       QStringLiteral("alice"));
        QVERIFY2(ra.ok(), qPrintable(ra.error().toString()));
        QCOMPARE(ra->labels, 36);
        auto rb = labels::importLabels(*p->store, labelFile(p->dir, QStringLiteral("b.jsonl"), bob),
                                       QStringLiteral("bob"));
        QVERIFY(rb.ok());
        QCOMPARE(rb->skipped, 1);

        MetricOptions o;
        o.bootstrap = 300;
        auto db = readOnly(p->path);
        auto m = computeProjectMetrics(db, o);
        QVERIFY2(m.ok(), qPrintable(m.error().toString()));
        const HumanAgreement &h = m->agreement;

        // The human side of a cell is the annotators' majority; Alice and Bob split on some
        // cells, which are left out. Recompute that by hand and compare with plain kappa.
        std::vector<bool> judgeKept, humanKept;
        qint64 ties = 0;
        for (std::size_t k = 0; k < units.size(); ++k) {
            const auto yes = std::count(units[k].begin(), units[k].end(), true);
            const auto no = std::ptrdiff_t(units[k].size()) - yes;
            if (yes == no) {
                ++ties;
                continue;
            }
            judgeKept.push_back(judgeSays[k]);
            humanKept.push_back(yes > no);
        }
        QVERIFY(h.judgeHuman);
        QCOMPARE(h.humanTies, ties);
        QCOMPARE(h.judgeHuman->kappa.n, qint64(judgeKept.size()));
        QVERIFY(std::abs(h.judgeHuman->kappa.value - *stats::cohenKappa(judgeKept, humanKept)) < 1e-12);
        QVERIFY(h.judgeHuman->kappa.ci);
        QVERIFY(h.judgeHuman->kappa.ci->low <= h.judgeHuman->kappa.ci->high);
        QVERIFY(!h.calibrated); // fewer than 50 labels
        QCOMPARE(h.judgeModel, QStringLiteral("judge-model"));
        QVERIFY(h.annotators);
        QCOMPARE(h.annotators->n, qint64(23)); // Bob's 24 minus the skip
        QVERIFY(std::abs(h.annotators->value - *krippendorffAlpha(units)) < 1e-12);
        QCOMPARE(int(h.perCriterion.size()), 6); // 2 prompts x 3 criteria
        for (const Disagreement &d : h.disagreements) {
            QVERIFY(d.judge != d.human);
            QCOMPARE(d.rationale, QStringLiteral("because %1/%2").arg(d.responseId).arg(d.stableId.mid(1)));
        }

        // Export and import on a second copy of the project give the same labels.
        const QString exported = p->dir.filePath(QStringLiteral("out.jsonl"));
        QCOMPARE(labels::exportLabels(db, exported, {}).value(), 36 + 24);
        auto q = labelProject();
        auto back = labels::importLabels(*q->store, exported, {});
        QVERIFY2(back.ok(), qPrintable(back.error().toString()));
        auto db2 = readOnly(q->path);
        auto m2 = computeProjectMetrics(db2, o);
        QVERIFY(m2.ok());
        QCOMPARE(m2->agreement.judgeHuman->kappa.value, h.judgeHuman->kappa.value);
        QCOMPARE(m2->agreement.annotators->value, h.annotators->value);

        // Rewriting a criterion retires its labels: they judged another text.
        QVERIFY(sql(*q->store, QStringLiteral("UPDATE criteria SET text = 'Is brief' WHERE stable_id = 'c1'")).ok());
        auto db3 = readOnly(q->path);
        auto m3 = computeProjectMetrics(db3, o);
        QVERIFY(m3.ok());
        QCOMPARE(m3->agreement.labelledCells, qint64(24));
    }

    void fewShot_attachesCorrectionsHoldsOutTheRestAndComparesRunsOnThem() {
        auto p = labelProject();
        // Alice overrules the judge on every second cell.
        QStringList lines;
        for (int r = 1; r <= 12; ++r)
            for (int c = 1; c <= 3; ++c) {
                const bool j = p->judge(r, c);
                const bool h = (r + c) % 2 ? !j : j;
                lines << QStringLiteral("{\"cell\": \"%1\", \"label\": \"%2\"}")
                             .arg(labels::cellId(r, QStringLiteral("c%1").arg(c)),
                                  h ? QStringLiteral("yes") : QStringLiteral("no"));
            }
        QVERIFY(labels::importLabels(*p->store, labelFile(p->dir, QStringLiteral("a.jsonl"), lines),
                                     QStringLiteral("alice"))
                    .ok());
        auto db = readOnly(p->path);
        QCOMPARE(judge::fewShotVersion(db).value(), QString()); // nothing attached yet

        labels::AttachOptions o;
        o.perCriterion = 1;
        o.holdout = 0.5;
        o.seed = 9;
        auto attached = labels::attachCorrections(*p->store, db, o);
        QVERIFY2(attached.ok(), qPrintable(attached.error().toString()));
        QVERIFY(attached->attached > 0);
        QVERIFY(attached->attached <= 6); // one per criterion at most, 6 criteria
        QCOMPARE(attached->heldOut, qint64(36 - attached->attached));

        // Every example is a cell where Alice overruled the judge, with her verdict.
        auto db2 = readOnly(p->path);
        auto rows = db2.prepare("SELECT response_id, stable_id, met FROM criterion_examples");
        QVERIFY(rows.ok());
        int n = 0;
        QVERIFY(rows->forEach([&] {
                        const int r = int(rows->columnInt(0));
                        const int c = rows->columnText(1).mid(1).toInt();
                        QVERIFY((r + c) % 2 == 1);
                        QCOMPARE(rows->columnInt(2) != 0, !p->judge(r, c));
                        ++n;
                    }).ok());
        QCOMPARE(n, attached->attached);
        // Attaching again adds nothing: each criterion has its one example.
        QCOMPARE(labels::attachCorrections(*p->store, db2, o)->attached, 0);

        // The judge prompt shows them, and the template version changes with them.
        judge::JudgeConfig config;
        const QString plain = judge::JudgeTemplate(config).version();
        QVERIFY(judge::applyFewShot(db2, config).ok());
        QVERIFY(!config.fewShot.isEmpty());
        const judge::JudgeTemplate tpl(config);
        QCOMPARE(tpl.version(), plain + QStringLiteral("+fewshot-") + config.fewShot);
        auto plan = judge::planRun(db2, 0, config);
        QVERIFY(plan.ok());
        int shown = 0;
        for (const judge::WorkItem &item : plan->items)
            for (const judge::JudgedCriterion &c : item.criteria)
                if (!c.examples.isEmpty() && item.grading == 0) {
                    const auto req = tpl.render(QStringLiteral("Q"), QStringLiteral("R"), item.criteria, false);
                    QVERIFY(req.messages.back().content.contains(QStringLiteral("  example (")));
                    ++shown;
                }
        QVERIFY(shown > 0);

        // A second run that agrees with Alice everywhere: kappa on the held-out cells goes
        // from the first run's to 1, as plain kappa over those cells says.
        QString text = QStringLiteral(
            "INSERT INTO judge_runs(id, name, provider, model, mode, gradings, template,"
            " template_version) VALUES (2, 'r2', 'x', 'judge-model', 'all_in_one', 1, 't', 'v2');");
        const QString texts[3] = {QStringLiteral("Is short"), QStringLiteral("Is polite"), QStringLiteral("Is right")};
        const double weights[3] = {1, 1, 2};
        for (int r = 1; r <= 12; ++r)
            for (int c = 1; c <= 3; ++c) {
                const bool h = (r + c) % 2 ? !p->judge(r, c) : p->judge(r, c);
                text += QStringLiteral("INSERT INTO verdicts(run_id, response_id, criterion_hash, stable_id,"
                                       " grading, verdict) VALUES(2, %1, %2, 'c%3', 0, '%4');")
                            .arg(r)
                            .arg(judge::criterionHash(texts[c - 1], weights[c - 1], false))
                            .arg(c)
                            .arg(h ? QStringLiteral("yes") : QStringLiteral("no"));
            }
        QVERIFY(sql(*p->store, text).ok());
        std::set<std::pair<int, int>> examples;
        auto db3 = readOnly(p->path);
        auto ex = db3.prepare("SELECT response_id, stable_id FROM criterion_examples");
        QVERIFY(ex->forEach([&] { examples.insert({int(ex->columnInt(0)), ex->columnText(1).mid(1).toInt()}); }).ok());
        std::vector<bool> judgeBefore, human;
        for (int r = 1; r <= 12; ++r)
            for (int c = 1; c <= 3; ++c)
                if (!examples.count({r, c})) {
                    judgeBefore.push_back(p->judge(r, c));
                    human.push_back((r + c) % 2 ? !p->judge(r, c) : p->judge(r, c));
                }
        auto cmp = labels::compareOnHeldOut(db3, 1, 2, 200, 3);
        QVERIFY2(cmp.ok(), qPrintable(cmp.error().toString()));
        QCOMPARE(cmp->before.n, qint64(human.size()));
        QVERIFY(std::abs(cmp->before.value - *stats::cohenKappa(judgeBefore, human)) < 1e-12);
        QCOMPARE(cmp->after.value, 1.0);
        QVERIFY(std::abs(cmp->difference.value - (1.0 - cmp->before.value)) < 1e-12);
        QVERIFY(cmp->difference.ci && cmp->difference.ci->low <= cmp->difference.ci->high);

        // Metrics report kappa on the held-out cells once examples exist.
        MetricOptions mo;
        mo.runId = 2;
        mo.bootstrap = 0;
        auto m = computeProjectMetrics(db3, mo);
        QVERIFY(m.ok());
        QVERIFY(m->agreement.judgeHumanHeldOut);
        QCOMPARE(m->agreement.judgeHumanHeldOut->kappa.n, qint64(human.size()));
        QCOMPARE(m->agreement.examples, qint64(examples.size()));

        QCOMPARE(labels::detachAll(*p->store).value(), int(examples.size()));
        auto db4 = readOnly(p->path);
        QCOMPARE(judge::fewShotVersion(db4).value(), QString());
    }

    void panel_majorityOfTheWholePanelTiePolicyAndMemberAgreement() {
        auto p = labelProject();
        // Run 2 (model m2) flips run 1 on cells with (r + c) % 4 == 0; run 3 (model m3) fails
        // on response 1 and says yes everywhere else; run 4 reuses run 1's model.
        const QString texts[3] = {QStringLiteral("Is short"), QStringLiteral("Is polite"), QStringLiteral("Is right")};
        const double weights[3] = {1, 1, 2};
        const auto m2 = [&](int r, int c) { return (r + c) % 4 == 0 ? !p->judge(r, c) : p->judge(r, c); };
        QString text = QStringLiteral(
            "INSERT INTO judge_runs(id, name, provider, model, mode, gradings, template, template_version)"
            " VALUES (2, 'r2', 'x', 'm2', 'all_in_one', 1, 't', 'v'), (3, 'r3', 'x', 'm3', 'all_in_one', 1, 't', 'v'),"
            " (4, 'r4', 'x', 'judge-model', 'all_in_one', 1, 't', 'v');");
        for (int r = 1; r <= 12; ++r)
            for (int c = 1; c <= 3; ++c) {
                const qint64 h = judge::criterionHash(texts[c - 1], weights[c - 1], false);
                const auto row = [&](int run, const QString &v) {
                    text += QStringLiteral("INSERT INTO verdicts(run_id, response_id, criterion_hash, stable_id,"
                                           " grading, verdict) VALUES(%1, %2, %3, 'c%4', 0, '%5');")
                                .arg(run).arg(r).arg(h).arg(c).arg(v);
                };
                row(2, m2(r, c) ? QStringLiteral("yes") : QStringLiteral("no"));
                row(3, r == 1 ? QStringLiteral("error") : QStringLiteral("yes"));
                row(4, QStringLiteral("yes"));
            }
        QVERIFY(sql(*p->store, text).ok());
        auto db = readOnly(p->path);

        judge::PanelOptions o;
        o.members = {1, 2, 3};
        auto three = judge::combinePanel(*p->store, db, o);
        QVERIFY2(three.ok(), qPrintable(three.error().toString()));
        QCOMPARE(three->cells, qint64(36));
        auto db2 = readOnly(p->path);
        judge::TallyOptions to;
        to.runId = three->runId;
        auto t = judge::VerdictTally::load(db2, to);
        QVERIFY(t.ok());
        qint64 decided = 0, incomplete = 0;
        std::vector<bool> m2Says, panelSays;
        for (const judge::TallyResponse &resp : t->responses()) {
            const int r = int(resp.responseId);
            for (int k = 0; k < 3; ++k) {
                const int c = k + 1;
                // By hand: the votes, and a majority of all three members.
                int yes = (p->judge(r, c) ? 1 : 0) + (m2(r, c) ? 1 : 0) + (r != 1 ? 1 : 0);
                int no = (p->judge(r, c) ? 0 : 1) + (m2(r, c) ? 0 : 1);
                std::optional<bool> want;
                if (yes >= 2)
                    want = true;
                else if (no >= 2)
                    want = false;
                QCOMPARE(t->judgeVerdict(resp.firstCell + std::size_t(k)), want);
                if (want) {
                    ++decided;
                    m2Says.push_back(m2(r, c));
                    panelSays.push_back(*want);
                } else {
                    ++incomplete; // only response 1, where run 3 failed and runs 1, 2 split
                    QCOMPARE(r, 1);
                }
            }
        }
        QCOMPARE(three->decided, decided);
        QCOMPARE(three->incomplete, incomplete);
        QCOMPARE(three->ties, qint64(0));
        QVERIFY(std::abs(*three->members[1].kappa - *stats::cohenKappa(m2Says, panelSays)) < 1e-12);
        QCOMPARE(three->members[2].answered, qint64(33)); // run 3 failed on response 1

        // The same members again: the same panel run.
        QCOMPARE(judge::combinePanel(*p->store, db2, o)->runId, three->runId);

        // Two members that split: the tie policy decides.
        o.members = {1, 2};
        o.ties = judge::PanelTies::No;
        auto two = judge::combinePanel(*p->store, db2, o);
        QVERIFY(two.ok());
        qint64 splits = 0;
        for (int r = 1; r <= 12; ++r)
            for (int c = 1; c <= 3; ++c)
                splits += (r + c) % 4 == 0;
        QCOMPARE(two->ties, splits);
        QCOMPARE(two->decided, qint64(36));
        o.ties = judge::PanelTies::Missing;
        auto twoMissing = judge::combinePanel(*p->store, db2, o);
        QVERIFY(twoMissing.ok());
        QVERIFY(twoMissing->runId != two->runId);
        QCOMPARE(twoMissing->decided, qint64(36) - splits);

        // A panel is of different models, of 2 to 5 runs.
        o.members = {1, 4};
        QVERIFY(!judge::combinePanel(*p->store, db2, o).ok());
        o.members = {1};
        QVERIFY(!judge::combinePanel(*p->store, db2, o).ok());
    }

    void cascade_escalatesUncertainCellsOnlyAndCombinesTheRuns() {
        auto p = labelProject();
        // Cheap run 5, three votes: a 2-1 split on cells with (r + c) % 3 == 1, unanimous
        // elsewhere. Strong run 6 answered only the split cells of responses 1..10.
        const QString texts[3] = {QStringLiteral("Is short"), QStringLiteral("Is polite"), QStringLiteral("Is right")};
        const double weights[3] = {1, 1, 2};
        const auto split = [](int r, int c) { return (r + c) % 3 == 1; };
        QString text = QStringLiteral(
            "INSERT INTO judge_runs(id, name, provider, model, mode, gradings, template, template_version)"
            " VALUES (5, 'cheap', 'x', 'small', 'all_in_one', 3, 't', 'v'), (6, 'strong', 'x', 'big', 'all_in_one', 1, 't', 'v');");
        for (int r = 1; r <= 12; ++r)
            for (int c = 1; c <= 3; ++c) {
                const qint64 h = judge::criterionHash(texts[c - 1], weights[c - 1], false);
                for (int g = 0; g < 3; ++g) {
                    const bool yes = split(r, c) ? g != 2 : p->judge(r, c);
                    text += QStringLiteral("INSERT INTO verdicts(run_id, response_id, criterion_hash, stable_id,"
                                           " grading, verdict) VALUES(5, %1, %2, 'c%3', %4, '%5');")
                                .arg(r).arg(h).arg(c).arg(g).arg(yes ? QStringLiteral("yes") : QStringLiteral("no"));
                }
                if (split(r, c) && r <= 10)
                    text += QStringLiteral("INSERT INTO verdicts(run_id, response_id, criterion_hash, stable_id,"
                                           " grading, verdict) VALUES(6, %1, %2, 'c%3', 0, 'no');")
                                .arg(r).arg(h).arg(c);
            }
        QVERIFY(sql(*p->store, text).ok());
        auto db = readOnly(p->path);
        int splits = 0, splitsAnswered = 0;
        for (int r = 1; r <= 12; ++r)
            for (int c = 1; c <= 3; ++c)
                if (split(r, c)) {
                    ++splits;
                    splitsAnswered += r <= 10;
                }

        // P(yes) = 2/3 on a split: uncertain within 0.2 of 0.5, sure within 0.1.
        auto wide = judge::uncertainCells(db, 5, 0.2);
        QVERIFY(wide.ok());
        QCOMPARE(wide->judged, qint64(36));
        QCOMPARE(int(wide->cells.size()), splits);
        QVERIFY(judge::uncertainCells(db, 5, 0.1)->cells.isEmpty());

        // The strong judge is asked only those cells.
        judge::JudgeConfig config;
        config.mode = judge::JudgeMode::PerCriterion;
        config.cells = wide->cells;
        auto plan = judge::planRun(db, 0, config);
        QVERIFY(plan.ok());
        QCOMPARE(int(plan->items.size()), splits);
        for (const judge::WorkItem &item : plan->items)
            QVERIFY(split(int(item.responseId), item.criteria.front().stableId.mid(1).toInt()));

        auto curve = judge::cascadeCurve(db, 5, 6, {0.0, 0.2});
        QVERIFY(curve.ok());
        QCOMPARE(curve->at(0).escalated, qint64(0));
        QCOMPARE(curve->at(1).escalated, qint64(splits));
        QCOMPARE(curve->at(1).share, double(splits) / 36);
        QCOMPARE(curve->at(1).compared, qint64(splitsAnswered)); // where the strong run answered
        QCOMPARE(*curve->at(1).agreement, 1.0);                  // escalated: the strong verdict itself
        QCOMPARE(*curve->at(0).agreement, 0.0);                  // the cheap majority said yes there

        auto r = judge::combineCascade(*p->store, db, 5, 6, 0.2);
        QVERIFY2(r.ok(), qPrintable(r.error().toString()));
        QCOMPARE(r->escalated, qint64(splits));
        QCOMPARE(r->fromStrong, qint64(splitsAnswered));
        QCOMPARE(r->unresolved, qint64(splits - splitsAnswered));
        auto db2 = readOnly(p->path);
        judge::TallyOptions to;
        to.runId = r->runId;
        auto t = judge::VerdictTally::load(db2, to);
        QVERIFY(t.ok());
        for (const judge::TallyResponse &resp : t->responses())
            for (int k = 0; k < 3; ++k) {
                const int rr = int(resp.responseId), c = k + 1;
                const auto v = t->judgeVerdict(resp.firstCell + std::size_t(k));
                if (!split(rr, c))
                    QCOMPARE(v, std::optional<bool>(p->judge(rr, c)));
                else if (rr <= 10)
                    QCOMPARE(v, std::optional<bool>(false));
                else
                    QVERIFY(!v);
            }
        QCOMPARE(judge::combineCascade(*p->store, db2, 5, 6, 0.2)->runId, r->runId);
        QVERIFY(!judge::combineCascade(*p->store, db2, 5, 5, 0.2).ok());
    }

    void oracle_positionSwapRateCountsPairsWhoseOrdersDisagreed() {
        auto p = labelProject();
        // Five pairs asked in both orders by two models (0.5: the orders disagreed), one asked
        // in one order only (not counted).
        QString text;
        const struct {
            int a, b;
            double pref;
            const char *model;
            int answers;
        } asks[] = {{1, 2, 0.5, "o1", 2}, {3, 4, 1.0, "o1", 2}, {5, 6, 0.0, "o1", 2},
                    {7, 8, 0.5, "o2", 2}, {9, 10, 0.5, "o2", 2}, {11, 12, 1.0, "o2", 1}};
        for (const auto &a : asks) {
            QStringList answers;
            for (int k = 0; k < a.answers; ++k)
                answers << QStringLiteral("{\"a_shown_first\": %1}").arg(k == 0 ? QStringLiteral("true") : QStringLiteral("false"));
            text += QStringLiteral("INSERT INTO preferences(prompt_id, response_a, response_b, preference, source,"
                                   " detail) SELECT prompt_id, %1, %2, %3, 'oracle',"
                                   " '{\"model\": \"%4\", \"answers\": [%5]}' FROM responses WHERE id = %1;")
                        .arg(a.a)
                        .arg(a.b)
                        .arg(a.pref)
                        .arg(QLatin1String(a.model), answers.join(QLatin1Char(',')));
        }
        QVERIFY2(sql(*p->store, text).ok(), "insert");
        auto db = readOnly(p->path);
        MetricOptions o;
        o.bootstrap = 200;
        auto m = computeProjectMetrics(db, o);
        QVERIFY2(m.ok(), qPrintable(m.error().toString()));
        QVERIFY(m->reliability.oracleSwapRate);
        QCOMPARE(m->reliability.oracleSwapRate->n, qint64(5));
        QCOMPARE(m->reliability.oracleSwapRate->value, 3.0 / 5);
        QVERIFY(m->reliability.oracleSwapRate->ci);
        QCOMPARE(int(m->reliability.oracleSwapByModel.size()), 2);
        QCOMPARE(m->reliability.oracleSwapByModel[0].second.value, 1.0 / 3); // o1
        QCOMPARE(m->reliability.oracleSwapByModel[1].second.value, 1.0);     // o2
    }

    void calibration_needsFiftyLabelsAndALowerBoundOverTheThreshold() {
        MetricData data;
        data.judgeModel = QStringLiteral("m");
        for (int p = 0; p < 30; ++p) {
            ResponseFacts f;
            f.responseId = p + 1;
            f.promptId = p + 1;
            data.responses.push_back(f);
        }
        data.criteria.push_back(CriterionFacts{1, QStringLiteral("c1"), QStringLiteral("t"), 1, 0});
        // 60 cells over 30 prompts, human agrees with the judge on all but 3.
        for (int i = 0; i < 60; ++i) {
            const bool j = i % 2 == 0;
            const bool h = i % 20 == 5 ? !j : j;
            data.labelled.push_back(LabelledCell{i % 30, 0, j, {{0, h}}});
        }
        data.annotators = {QStringLiteral("a")};
        MetricOptions o;
        o.bootstrap = 500;
        o.calibrationKappa = 0.6;
        HumanAgreement h = humanAgreement(data, o);
        QCOMPARE(h.judgeHuman->kappa.n, qint64(60));
        QVERIFY(h.judgeHuman->kappa.ci->low >= 0.6);
        QVERIFY(h.calibrated);
        o.calibrationKappa = 0.99;
        QVERIFY(!humanAgreement(data, o).calibrated);
        data.labelled.resize(40);
        o.calibrationKappa = 0.0;
        QVERIFY(!humanAgreement(data, o).calibrated); // n < 50
    }

    void metrics_withinPromptSpearmanIsTheMeanOfPerPromptRhos() {
        MetricData data;
        // Prompt 1: reward rises with length; prompt 2: falls. Pooled they mix; within, the
        // mean of +1 and -1 is 0.
        const double rows[][3] = {{1, 10, 0.1}, {1, 20, 0.5}, {1, 30, 0.9},
                                  {2, 100, 0.9}, {2, 200, 0.5}, {2, 300, 0.1}};
        for (const auto &r : rows) {
            ResponseFacts f;
            f.promptId = qint64(r[0]);
            f.length = qint64(r[1]);
            f.reward = r[2];
            f.scored = true;
            data.responses.push_back(f);
        }
        MetricOptions o;
        const StyleConfound s = styleConfound(data, o);
        QVERIFY(s.rewardLengthWithin);
        QCOMPARE(s.rewardLengthWithin->n, qint64(2));
        QVERIFY(std::abs(s.rewardLengthWithin->value) < 1e-12);
        QCOMPARE(int(s.lengthWithinByPrompt.size()), 2);
    }
};

QTEST_GUILESS_MAIN(Trust)
#include "tst_trust.moc"
