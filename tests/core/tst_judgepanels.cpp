// Judges made of judges (issue 15): a panel's verdict is the majority of the whole panel with
// a stated tie policy, a cascade sends only the cheap judge's uncertain cells to the strong
// one, and the pairwise oracle's position swaps are counted per model — each checked against
// a hand computation on a small judged project.
#include "analytics/projectmetrics.h"
#include "analytics/stats.h"
#include "judge/judgecascade.h"
#include "judge/judgepanel.h"
#include "judge/judgeplan.h"
#include "judge/verdicttally.h"
#include "labelproject.h"

#include <QStandardPaths>
#include <QTest>

#include <cmath>

using namespace rs;
using namespace rs::analytics;
using rs::test::labelProject;
using rs::test::readOnly;
using rs::test::sql;

class JudgePanels final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

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

};

QTEST_GUILESS_MAIN(JudgePanels)
#include "tst_judgepanels.moc"
