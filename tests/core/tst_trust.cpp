// Trust in the numbers (issue 15): the cluster bootstrap reproduces a plain re-sampling loop
// with the same seed, kappa and alpha match hand computations, and blind labels go from a
// stratified sample through import and export into judge-vs-human agreement.
#include "analytics/agreement.h"
#include "analytics/clusterbootstrap.h"
#include "analytics/projectmetrics.h"
#include "analytics/stats.h"
#include "datasupport.h"
#include "labelproject.h"
#include "judge/judgetemplate.h"
#include "judge/fewshotexamples.h"
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
using rs::test::labelFile;
using rs::test::labelProject;
using rs::test::readOnly;
using rs::test::sql;

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
