// Metrics as pure functions: each checked against a hand computation or an independent
// reference (brute-force Mann-Whitney, a textbook kappa, the Theorem's closed forms).
#include "analytics/bestofn.h"
#include "analytics/stats.h"
#include "analytics/tailaccuracy.h"
#include "analytics/theory.h"
#include "analytics/trainingcurves.h"

#include <QTemporaryDir>
#include <QTest>

#include <random>

using namespace rs;
using namespace rs::analytics;

namespace {

ResponseFacts response(qint64 id, const char *tier, std::vector<double> gradings) {
    ResponseFacts f;
    f.responseId = id;
    f.promptId = 1;
    f.tier = QString::fromLatin1(tier);
    f.scored = true;
    f.gradingRewards = std::move(gradings);
    double sum = 0;
    for (double g : f.gradingRewards)
        sum += g;
    f.reward = sum / double(f.gradingRewards.size());
    return f;
}

GoldPair pair(int a, int b, double pref) {
    GoldPair g;
    g.promptId = 1;
    g.a = a;
    g.b = b;
    g.preference = pref;
    return g;
}

} // namespace

class Analytics final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void auc_equalsBruteForceMannWhitney() {
        std::mt19937 rng(7);
        std::uniform_int_distribution<int> d(0, 6); // few values: many ties
        for (int round = 0; round < 20; ++round) {
            std::vector<double> a(size_t(5 + round)), b(size_t(3 + 2 * round));
            for (double &x : a)
                x = d(rng) / 6.0;
            for (double &x : b)
                x = d(rng) / 6.0 - 0.1;
            double u = 0;
            for (double x : a)
                for (double y : b)
                    u += x > y ? 1 : x == y ? 0.5 : 0;
            QCOMPARE(stats::auc(a, b).value(), u / double(a.size() * b.size()));
        }
        QVERIFY(!stats::auc({}, {1.0}));
    }

    void cohenKappa_textbookExample() {
        // 50 items: both yes 20, yes/no 5, no/yes 10, both no 15: po = 0.7, pe = 0.5, kappa 0.4.
        std::vector<bool> r1, r2;
        const auto add = [&](bool x, bool y, int n) {
            for (int i = 0; i < n; ++i) {
                r1.push_back(x);
                r2.push_back(y);
            }
        };
        add(true, true, 20);
        add(true, false, 5);
        add(false, true, 10);
        add(false, false, 15);
        QVERIFY(qAbs(stats::cohenKappa(r1, r2).value() - 0.4) < 1e-12);
        QVERIFY(qAbs(stats::cohenKappa(r1, r1).value() - 1.0) < 1e-12);
    }

    void spearman_ranksWithTiesAndPValue() {
        const auto c = stats::spearman({1, 2, 3, 4, 5}, {10, 20, 30, 40, 1000});
        QCOMPARE(c->rho, 1.0);
        const auto r = stats::spearman({1, 2, 3, 4}, {4, 3, 2, 1});
        QCOMPARE(r->rho, -1.0);
        QVERIFY(!stats::spearman({1, 1, 1}, {1, 2, 3})); // constant side: no correlation
        // Ties take average ranks: x ranks (1.5, 1.5, 3, 4) against y ranks (1..4).
        QVERIFY(qAbs(stats::spearman({1, 1, 2, 3}, {1, 2, 3, 4})->rho - 0.9486832980505138) <
                1e-12);
        // t = 0.6·sqrt(8/0.64) with 8 df: two-sided p = 0.066688 (numerical integration).
        QVERIFY(qAbs(stats::tTestTwoSided(0.6 * std::sqrt(8 / 0.64), 8) - 0.066688) < 1e-5);
    }

    void tailAccuracy_bothTiePolicies_handBuiltFixture() {
        MetricData d;
        d.gradings = 3;
        d.responses = {
            response(10, "great", {0.9, 0.8, 0.4}),       // 0
            response(11, "great", {0.5, 0.5, 0.5}),       // 1
            response(12, "great", {0.5, 0.5, 0.5}),       // 2
            response(13, "excellent", {0.95, 0.85, 0.3}), // 3
            response(14, "good", {0.3, 0.2, 0.1}),        // 4
            response(15, "good", {0.1, 0.1, 0.2}),        // 5
        };
        d.gold = {
            pair(0, 1, 0.0), // high: gold A; gradings prefer A 2 of 3 -> right
            pair(1, 2, 1.0), // high: gold B; rubric tie -> wrong, or 1/2
            pair(3, 0, 0.8), // high: gold B (0); gradings prefer 3 in 2 of 3 -> wrong
            pair(4, 5, 0.2), // low: gold A; rubric A 2 of 3 -> right
            pair(4, 5, 0.5), // gold tie: skipped
            pair(0, 4, 1.0), // mixed tiers: counted in "all" only (wrong: A is rubric's pick)
        };
        MetricOptions o;
        TailAccuracy wrong = tailAccuracy(d, o);
        QCOMPARE(wrong.high->n, 3);
        QVERIFY(qAbs(wrong.high->value - 1.0 / 3) < 1e-12);
        QCOMPARE(wrong.low->n, 1);
        QCOMPARE(wrong.low->value, 1.0);
        QCOMPARE(wrong.all->n, 5);
        QCOMPARE(wrong.goldTies, 1);
        QCOMPARE(wrong.rubricTies, 1);
        QCOMPARE(wrong.pairs[0].votesA, 2);
        QCOMPARE(wrong.pairs[0].responseA, 10);

        o.ties = TiePolicy::Half;
        TailAccuracy half = tailAccuracy(d, o);
        QCOMPARE(half.high->value, 0.5);
        QCOMPARE(half.low->value, 1.0);

        // Score-quantile regions: the cut at the median reward moves pairs between regions.
        o.regions = RegionPolicy::ScoreQuantile;
        TailAccuracy byScore = tailAccuracy(d, o);
        QVERIFY(byScore.high || byScore.low);
        QCOMPARE(byScore.all->n, 5);
    }

    void theory_klMatchesClosedForm_andCorrectDominates() {
        for (double beta : defaultBetas(25)) {
            const TheoryPoint correct = theoryPoint({Mapping::Kind::Correct, 0}, beta);
            QVERIFY2(qAbs(correct.kl - correct.klClosedForm) < 1e-6,
                     qPrintable(QString::number(beta)));
            QVERIFY(qAbs(correct.win - *correct.winClosedForm) < 1e-6);
            for (const Mapping &m : paperMappings()) {
                const TheoryPoint p = theoryPoint(m, beta);
                // KL does not depend on the mapping; the win rate does, and "correct" is best.
                QVERIFY(qAbs(p.kl - p.klClosedForm) < 1e-6);
                QVERIFY(p.win <= correct.win + 1e-12);
            }
        }
        // The paper's finding: getting the top 10% wrong costs more than the worst 10%.
        for (double beta : {0.02, 0.05, 0.1, 0.2, 0.5}) {
            const double top =
                theoryPoint(parseMapping(QStringLiteral("top:0.1")).value(), beta).win;
            const double worst =
                theoryPoint(parseMapping(QStringLiteral("worst:10%")).value(), beta).win;
            QVERIFY2(top < worst,
                     qPrintable(QStringLiteral("beta %1: %2 vs %3").arg(beta).arg(top).arg(worst)));
        }
        QVERIFY(theoryPoint({Mapping::Kind::Reversed, 0}, 0.1).win < 0.5);
        // More of the top wrong, lower win rate.
        const auto sweep = topWrongSweep(0.1, {0.05, 0.1, 0.2, 0.4});
        for (size_t i = 1; i < sweep.size(); ++i)
            QVERIFY(sweep[i].win < sweep[i - 1].win);
        QVERIFY(!parseMapping(QStringLiteral("top:1.5")));
        QVERIFY(!parseMapping(QStringLiteral("sideways")));
    }

    void bestOfN_handComputedExpectations() {
        MetricData d;
        const auto add = [&](qint64 prompt, double reward, double gold) {
            ResponseFacts f;
            f.promptId = prompt;
            f.scored = true;
            f.reward = reward;
            f.gold = gold;
            d.responses.push_back(f);
        };
        // Prompt 1: the rubric's favourite is the gold's worst.
        add(1, 0.9, 0.2);
        add(1, 0.5, 0.8);
        add(1, 0.1, 0.5);
        MetricOptions o;
        o.maxBestOfN = 5;
        auto pts = bestOfN(d, o);
        QCOMPARE(int(pts.size()), 3); // no prompt has 4 responses
        QVERIFY(qAbs(pts[0].byRubric - 0.5) < 1e-12);
        // N=2: subsets {1,2}->0.2, {1,3}->0.2, {2,3}->0.8 by rubric; 0.8, 0.5, 0.8 by gold.
        QVERIFY(qAbs(pts[1].byRubric - 0.4) < 1e-12);
        QVERIFY(qAbs(pts[1].byGold - 0.7) < 1e-12);
        QVERIFY(qAbs(pts[2].byRubric - 0.2) < 1e-12);
        QVERIFY(qAbs(pts[2].byGold - 0.8) < 1e-12);
        // A tie at the top is broken uniformly: two tied (gold 1 and 0) and one lower.
        d.responses.clear();
        add(2, 0.7, 1.0);
        add(2, 0.7, 0.0);
        add(2, 0.2, 0.9);
        pts = bestOfN(d, o);
        // N=2: {1,2} -> 0.5, {1,3} -> 1.0, {2,3} -> 0.0: mean 0.5.
        QVERIFY(qAbs(pts[1].byRubric - 0.5) < 1e-12);
    }

    void trainingCurves_parsePercentPeakAndErrors() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("run.csv"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("step,win "
                "rate,rubric_reward,arm\n0,10,0.2,initial\n100,30,0.5,initial\n200,25,0.7,initial\n"
                "0,12,0.2,\"4 great pairs\"\n100,34,0.4,\"4 great pairs\"\n");
        f.close();
        auto curves = parseTrainingCurves(path);
        QVERIFY2(curves.ok(), curves.ok() ? "" : qPrintable(curves.error().toString()));
        QCOMPARE(int(curves->size()), 2);
        const TrainingCurve &great = curves->at(0);
        QCOMPARE(great.arm, QStringLiteral("4 great pairs"));
        QCOMPARE(*great.points[1].winRate, 0.34); // percent scaled to a share
        const TrainingCurve &initial = curves->at(1);
        QCOMPARE(initial.peakIndex, 1); // win rate peaks at step 100, then falls
        QCOMPARE(initial.points[size_t(initial.peakIndex)].step, 100);

        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("step,win_rate\n0,0.1\n100,abc\n");
        f.close();
        auto bad = parseTrainingCurves(path);
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().line, 3);
        QVERIFY(bad.error().message.contains(QStringLiteral("abc")));
    }

    void countFormatting_bulletsAndHeaders() {
        int b = 0, h = 0;
        countFormatting(
            "# Title\nSome text\n- one\n* two\n  3. three\n**Bold header**\n**Key:** value\n"
            "-not a bullet\n## Sub\n",
            &b, &h);
        QCOMPARE(b, 3);
        QCOMPARE(h, 3);
    }
};

QTEST_GUILESS_MAIN(Analytics)
#include "tst_analytics.moc"
