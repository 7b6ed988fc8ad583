// The aggregation preview (issue 16 part 3) on real AlpacaEval answers: every candidate's
// rewards, soft rewards, top-tier AUC, tie rate at the top, tail accuracy and GRPO advantages
// are recomputed here by plain arithmetic from the project's own tables (aggregationproject.h),
// never through the studio's scoring or metric functions; the CLI prints the same numbers.
#include "aggregationplain.h"
#include "analytics/aggregationpreview.h"
#include "analytics/aggregationpreviewjson.h"
#include "analytics/groupadvantages.h"
#include "analytics/projectmetrics.h"
#include "judge/aggregationjson.h"

#include <QProcess>
#include <QStandardPaths>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

using namespace rs;
using namespace rs::analytics;

namespace {

using test::expectedFor;
using test::Plain;
using test::plainOf;
using test::Want;

#define COMPARE_OPT(got, want)                                                                     \
    do {                                                                                           \
        QCOMPARE(bool(got), bool(want));                                                           \
        if (got)                                                                                   \
            QVERIFY2(std::fabs(got->value - *want) < 1e-9,                                         \
                     qPrintable(QStringLiteral("%1: %2 vs %3")                                     \
                                    .arg(QLatin1String(#got))                                      \
                                    .arg(got->value)                                               \
                                    .arg(*want)));                                                 \
    } while (0)

MetricOptions greatVsGood() {
    MetricOptions o;
    o.tierA = QStringLiteral("great");
    o.tierB = QStringLiteral("good");
    o.highTiers = {QStringLiteral("great")};
    o.lowTiers = {QStringLiteral("good")};
    return o;
}

} // namespace

class TestAggregationPreview final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void groupAdvantages_populationStdAndZeroGroups() {
        // Hand arithmetic: mean 0.5, population std 0.5, so A = ±1 (less the epsilon).
        const auto a = groupAdvantages({0, 1, 0, 1});
        QCOMPARE(a.size(), std::size_t(4));
        QVERIFY(std::fabs(a[1] - 0.5 / (0.5 + 1e-6)) < 1e-15 && std::fabs(a[0] + a[1]) < 1e-15);
        for (double x : groupAdvantages({0.4, 0.4, 0.4}))
            QCOMPARE(x, 0.0);
    }

    void preview_matchesPlainRecomputation_data() { test::addCorpusRows(); }
    void preview_matchesPlainRecomputation() {
        RS_FETCH_CORPUS(test::alpacaDir);
        const auto p = test::aggregationProject(corpus);
        auto db = store::Database::open(p->path, store::Database::Mode::ReadOnly);
        QVERIFY(db.ok());
        AggregationPreviewOptions o;
        o.metrics = greatVsGood();
        o.promptId = p->prompts.front();
        int calls = 0;
        auto got = previewAggregations(db.value(), o, [&](int, int) { return ++calls > 0; });
        QVERIFY2(got.ok(), qPrintable(got.ok() ? QString() : got.error().toString()));
        const AggregationPreview &pv = got.value();
        QCOMPARE(pv.runId, qint64(1));
        QCOMPARE(pv.scoredResponses, qint64(p->verdicts.size()));
        QVERIFY(pv.currentSummary.isEmpty()); // the prompts store two different aggregations

        // Current first, then the defaults around the most common stored aggregation (veto cap
        // 0.2): plain formulas, the veto released, three shapings.
        const QStringList names = {QStringLiteral("current"),
                                   QStringLiteral("weighted_sum · veto cap 0.2"),
                                   QStringLiteral("points · veto cap 0.2"),
                                   QStringLiteral("weighted_sum · veto cap 1"),
                                   QStringLiteral("weighted_sum · veto cap 0.2 · power 2"),
                                   QStringLiteral("weighted_sum · veto cap 0.2 · exponential 3"),
                                   QStringLiteral("weighted_sum · veto cap 0.2 · power 0.5")};
        QStringList gotNames;
        for (const CandidatePreview &c : pv.candidates)
            gotNames << c.candidate.name;
        QCOMPARE(gotNames, names);
        QCOMPARE(calls, 1 + int(names.size()));

        for (const CandidatePreview &c : pv.candidates) {
            const QByteArray at = c.candidate.name.toUtf8();
            const std::optional<Plain> plain =
                c.candidate.spec ? std::optional(plainOf(*c.candidate.spec)) : std::nullopt;
            const Want e = expectedFor(*p, plain);
            qInfo("%s: auc %g ties %g tail %g zero %lld/%lld gap %g", at.constData(),
                  e.auc.value_or(-1), e.tieRate.value_or(-1), e.tail.value_or(-1), e.zeroGroups,
                  e.groups, e.gap.value_or(-1));
            COMPARE_OPT(c.auc, e.auc);
            COMPARE_OPT(c.topTieRate, e.tieRate);
            COMPARE_OPT(c.tailAccuracy, e.tail);
            COMPARE_OPT(c.tailHigh, e.tailHigh);
            COMPARE_OPT(c.zeroSpreadShare, e.zeroShare);
            COMPARE_OPT(c.advantageGap, e.gap);
            QCOMPARE(c.groups, e.groups);
            QCOMPARE(c.zeroSpreadGroups, e.zeroGroups);
            // The prompt asked for: its responses by id, every number by hand.
            std::vector<qint64> ids;
            for (const auto &[id, prompt] : p->promptOf)
                if (prompt == o.promptId)
                    ids.push_back(id);
            QCOMPARE(c.prompt.size(), ids.size());
            for (std::size_t i = 0; i < ids.size(); ++i) {
                const ResponseOutcome &r = c.prompt[i];
                QCOMPARE(r.responseId, ids[i]);
                QCOMPARE(r.topTier, p->tier.at(ids[i]) == QLatin1String("great"));
                QVERIFY2(std::fabs(r.reward - e.reward.at(ids[i])) < 1e-12, at.constData());
                QVERIFY2(std::fabs(r.softReward - e.soft.at(ids[i])) < 1e-12, at.constData());
                QVERIFY2(std::fabs(r.advantage - e.advantage.at(ids[i])) < 1e-9, at.constData());
            }
        }

        // The data exercises both the veto (c4 fails on every seventh id) and the penalty
        // (weight -1), so releasing the veto and points against the weighted sum both change
        // rewards.
        const CandidatePreview &base = pv.candidates[1], &vetoOff = pv.candidates[3];
        const Want eb = expectedFor(*p, plainOf(*base.candidate.spec));
        const Want ev = expectedFor(*p, plainOf(*vetoOff.candidate.spec));
        QVERIFY(eb.reward != ev.reward);
        const Want ep = expectedFor(*p, plainOf(*pv.candidates[2].candidate.spec));
        QVERIFY(eb.reward != ep.reward);

        // The prompt-only read gives the same rows.
        std::vector<AggregationCandidate> cands;
        for (const CandidatePreview &c : pv.candidates)
            cands.push_back(c.candidate);
        auto one = previewPromptAggregations(db.value(), o.promptId, cands, o.metrics);
        QVERIFY(one.ok());
        for (std::size_t c = 0; c < cands.size(); ++c) {
            QCOMPARE(one.value()[c].size(), pv.candidates[c].prompt.size());
            for (std::size_t i = 0; i < one.value()[c].size(); ++i) {
                QCOMPARE(one.value()[c][i].reward, pv.candidates[c].prompt[i].reward);
                QCOMPARE(one.value()[c][i].advantage, pv.candidates[c].prompt[i].advantage);
            }
        }
    }

    void preview_cancelStops_askedCandidatesFollowCurrent() {
        const auto p = test::aggregationProject(test::Corpus::Fixture);
        auto db = store::Database::open(p->path, store::Database::Mode::ReadOnly);
        QVERIFY(db.ok());
        AggregationPreviewOptions o;
        o.metrics = greatVsGood();
        auto stopped = previewAggregations(db.value(), o, [](int done, int) { return done < 2; });
        QVERIFY(!stopped.ok());
        QCOMPARE(stopped.error().message, QStringLiteral("cancelled"));

        judge::AggregationSpec exp3;
        exp3.shaping = judge::Shaping::Exponential;
        exp3.exponent = 3;
        o.candidates = {aggregationCandidate(exp3)};
        auto got = previewAggregations(db.value(), o);
        QVERIFY(got.ok());
        QCOMPARE(got->candidates.size(), std::size_t(2));
        QCOMPARE(got->candidates[0].candidate.name, QStringLiteral("current"));
        QCOMPARE(got->candidates[1].candidate.name, QStringLiteral("weighted_sum · exponential 3"));
        QVERIFY(got->candidates[0].prompt.empty()); // no prompt asked for
    }

    void cli_jsonEqualsCore_tableListsCurrentFirst_badSpecIsUsageError() {
        const auto p = test::aggregationProject(test::Corpus::Fixture);
        p->store.reset(); // the CLI opens the project itself, which a held store would lock
        const QString specs = QStringLiteral(
            R"({"type":"weighted_sum","veto_cap":0.2};{"type":"points","shaping":{"type":"power","exponent":2}})");
        QProcess cli;
        cli.start(QStringLiteral(RS_CLI),
                  {QStringLiteral("aggregation-preview"), p->path, QStringLiteral("--prompt"),
                   QString::number(p->prompts[1]), QStringLiteral("--candidates"), specs,
                   QStringLiteral("--json")});
        QVERIFY(cli.waitForFinished(120000));
        QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
        const nlohmann::json got = nlohmann::json::parse(cli.readAllStandardOutput().toStdString());

        // The CLI adapts the tiers to the project (great vs good), as the studio does.
        auto db = store::Database::open(p->path, store::Database::Mode::ReadOnly);
        QVERIFY(db.ok());
        AggregationPreviewOptions o;
        QVERIFY(adaptTiersToProject(db.value(), o.metrics).ok());
        o.promptId = p->prompts[1];
        for (const QString &s : specs.split(QLatin1Char(';')))
            o.candidates.push_back(aggregationCandidate(
                judge::aggregationFromJson(nlohmann::json::parse(s.toStdString())).value()));
        auto want = previewAggregations(db.value(), o);
        QVERIFY(want.ok());
        QCOMPARE(QString::fromStdString(got.dump()),
                 QString::fromStdString(toJson(want.value()).dump()));
        QCOMPARE(got["candidates"].size(), std::size_t(3));
        QVERIFY(got["candidates"][0]["name"] == "current");
        QVERIFY(got["candidates"][0]["aggregation"].is_null());
        QVERIFY(got["candidates"][2]["aggregation"]["type"] == "points");
        for (const char *key : {"top_tier_auc", "top_tie_rate", "tail_accuracy",
                                "zero_spread_share", "advantage_gap", "prompt_responses"})
            QVERIFY2(got["candidates"][1].contains(key), key);
        QVERIFY(got["tier_a"] == "great");

        cli.start(QStringLiteral(RS_CLI),
                  {QStringLiteral("aggregation-preview"), p->path, QStringLiteral("--prompt"),
                   QString::number(p->prompts[1])});
        QVERIFY(cli.waitForFinished(120000));
        QCOMPARE(cli.exitCode(), 0);
        const QStringList lines =
            QString::fromUtf8(cli.readAllStandardOutput()).split(QLatin1Char('\n'));
        const auto row = std::find_if(lines.begin(), lines.end(), [](const QString &l) {
            return l.startsWith(QLatin1String("current"));
        });
        QVERIFY(row != lines.end());
        QVERIFY(lines.join(QLatin1Char('\n'))
                    .contains(QStringLiteral("weighted_sum · veto cap 0.2 · power 2")));

        cli.start(QStringLiteral(RS_CLI),
                  {QStringLiteral("aggregation-preview"), p->path, QStringLiteral("--candidates"),
                   QStringLiteral(R"({"type":"weighted_sum","veto_cap":3})")});
        QVERIFY(cli.waitForFinished(120000));
        QCOMPARE(cli.exitCode(), 2);
        QVERIFY(cli.readAllStandardError().contains("veto_cap"));
    }
};

QTEST_GUILESS_MAIN(TestAggregationPreview)
#include "tst_aggregationpreview.moc"
