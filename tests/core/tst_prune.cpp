// Dead criteria project-wide and pruning them, on real AlpacaEval answers judged by the local
// test server (the fixture's six models, and the shared data's ten when present): the list is
// what a plain re-implementation over the tally's verdicts finds (top k, top tier, texts dead
// in many prompts) and what the Rubric tab's stats flag; pruning saves versions without exactly
// the picked criteria, never an empty rubric, and nothing the second time; bad input is an
// error (or exit code 2) everywhere. Rewriting through the proposer: tst_prunerewrite.
#include "pruneproject.h"
#include "rubric/criterionstats.h"
#include "rubric/prunecriteria.h"

#include <QJsonArray>
#include <QProcess>

using namespace rs;
using test::lines;
using test::listed;
using test::readOnly;

namespace {

QStringList rows(const rubric::DeadCriteriaReport &r) {
    QStringList out;
    for (const rubric::DeadCriterion &d : r.dead) {
        QStringList ids;
        for (const qint64 id : d.topResponseIds)
            ids << QString::number(id);
        out << QStringLiteral("%1|%2|%3|%4/%5|%6")
                   .arg(d.promptId)
                   .arg(d.stableId, rubric::deadWayKey(d.way))
                   .arg(d.judged)
                   .arg(d.top)
                   .arg(ids.join(QLatin1Char(',')));
    }
    return out;
}

} // namespace

class Prune final : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void listMatchesPlainReimplementation_data() { test::addCorpusRows(); }
    void listMatchesPlainReimplementation() {
        RS_FETCH_CORPUS(test::alpacaDir);
        test::ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        auto store = test::pruneProject(corpus, m_dir, QStringLiteral("list"), server);
        auto db = readOnly(*store);
        for (const int k : {2, 5}) {
            const auto report = listed(db, k);
            const auto want = test::expectedDead(db, k);
            QVERIFY(!want.rows.isEmpty()); // the rubric is built to have dead criteria
            QCOMPARE(rows(report), want.rows);
            QCOMPARE(report.runId, qint64(1));
            int checks = 0;
            for (const rubric::DeadCriterion &d : report.dead) {
                const auto crits = test::pruneRubric();
                auto c = std::find_if(crits.begin(), crits.end(),
                                      [&](const auto &x) { return x.text == d.text; });
                QVERIFY(c != crits.end());
                QCOMPARE(d.weight, c->weight);
                QCOMPARE(d.check, !c->checkJson.isEmpty());
                checks += d.check;
                QCOMPARE(d.textPrompts, int(want.promptsByText.value(d.text).size()));
            }
            QCOMPARE(report.checks, checks);
            QVERIFY(checks > 0); // "says something" passes every non-empty top answer
            // Texts dead in at least two prompts, most prompts first.
            QStringList groups, wantGroups;
            for (const rubric::DeadGroup &g : report.groups)
                groups << QStringLiteral("%1|%2").arg(g.prompts).arg(g.text);
            for (auto it = want.promptsByText.begin(); it != want.promptsByText.end(); ++it)
                if (it.value().size() >= 2)
                    wantGroups << QStringLiteral("%1|%2").arg(it.value().size()).arg(it.key());
            groups.sort();
            wantGroups.sort();
            QCOMPARE(groups, wantGroups);
            for (qsizetype i = 1; i < qsizetype(report.groups.size()); ++i)
                QVERIFY(report.groups[std::size_t(i - 1)].prompts >=
                        report.groups[std::size_t(i)].prompts);

            // The Rubric tab's per-prompt stats flag exactly these (one rule, one ranking).
            QSet<QString> flagged, inList;
            for (const rubric::DeadCriterion &d : report.dead)
                inList << QStringLiteral("%1|%2").arg(d.promptId).arg(d.stableId);
            auto prompts = db.prepare("SELECT id FROM prompts");
            while (prompts->step().value()) {
                const qint64 id = prompts->columnInt(0);
                auto stats = rubric::criterionStats(db, id, 0, k);
                QVERIFY(stats.ok());
                for (const auto &c : stats->criteria)
                    if (c.dead)
                        flagged << QStringLiteral("%1|%2").arg(id).arg(c.stableId);
            }
            QCOMPARE(flagged, inList);
        }

        // The top tier instead of the top k.
        rubric::DeadCriteriaOptions tier;
        tier.top.tiers = QStringList{QStringLiteral("great")};
        auto byTier = rubric::deadCriteria(db, tier);
        QVERIFY(byTier.ok());
        QCOMPARE(rows(byTier.value()), test::expectedDead(db, 0, tier.top.tiers).rows);

        // --min-prompts: only texts dead in that many prompts.
        const auto all = listed(db, 5);
        rubric::DeadCriteriaOptions many;
        many.minPrompts = all.groups.empty() ? 2 : all.groups.front().prompts;
        auto filtered = rubric::deadCriteria(db, many);
        QVERIFY(filtered.ok());
        QStringList wantFiltered;
        for (const rubric::DeadCriterion &d : all.dead)
            if (d.textPrompts >= many.minPrompts)
                wantFiltered << QStringLiteral("%1|%2").arg(d.promptId).arg(d.stableId);
        QStringList gotFiltered;
        for (const rubric::DeadCriterion &d : filtered->dead)
            gotFiltered << QStringLiteral("%1|%2").arg(d.promptId).arg(d.stableId);
        QCOMPARE(gotFiltered, wantFiltered);
    }

    void pruneRemovesExactlyThePickedAndNeverEmpties() {
        test::ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        auto store =
            test::pruneProject(test::Corpus::Fixture, m_dir, QStringLiteral("prune"), server);
        auto db = readOnly(*store);
        const auto report = listed(db, 5);
        QMap<qint64, RubricRecord> before;
        for (const rubric::DeadCriterion &d : report.dead)
            before.insert(d.promptId, rubric::loadHead(db, d.promptId).value());
        const QList<rubric::DeadCriterion> picked(report.dead.begin(), report.dead.end());
        auto pruned = rubric::pruneCriteria(*store, picked, report.runId, report.top);
        QVERIFY2(pruned.ok(), qPrintable(pruned.ok() ? QString() : pruned.error().toString()));
        QCOMPARE(pruned->prompts, int(before.size()));

        int versions = 0, refused = 0;
        for (auto it = before.begin(); it != before.end(); ++it) {
            QSet<QString> drop;
            for (const rubric::DeadCriterion &d : picked)
                if (d.promptId == it.key())
                    drop << d.stableId;
            QList<CriterionRecord> want;
            for (const CriterionRecord &c : it.value().criteria)
                if (!drop.contains(c.stableId))
                    want << c;
            const RubricRecord head = rubric::loadHead(db, it.key()).value();
            const auto history = rubric::listVersions(db, it.key()).value();
            if (want.isEmpty()) {
                ++refused; // nothing saved: the head is still the judged rubric
                QCOMPARE(head.versionId, it.value().versionId);
                continue;
            }
            ++versions;
            QCOMPARE(head.origin, QStringLiteral("prune"));
            QCOMPARE(history.last().parentId, it.value().versionId);
            QCOMPARE(lines(head.criteria), lines(want));
            for (qsizetype i = 0; i < want.size(); ++i)
                QCOMPARE(head.criteria[i].stableId, want[i].stableId);
            QStringList removed;
            for (const auto &v : history.last().detail.value(QStringLiteral("removed")).toArray())
                removed << v.toObject().value(QStringLiteral("id")).toString();
            QCOMPARE(QSet<QString>(removed.begin(), removed.end()), drop);
            QCOMPARE(history.last().detail.value(QStringLiteral("top_k")).toInt(), 5);
        }
        QCOMPARE(pruned->pruned, versions);
        QCOMPARE(pruned->refused, refused);
        QVERIFY(versions > 0);

        // The same selection again saves nothing: what was pruned is gone.
        auto again = rubric::pruneCriteria(*store, picked, report.runId, report.top);
        QVERIFY(again.ok());
        QCOMPARE(again->pruned, 0);
        QCOMPARE(again->skipped, versions);
        QCOMPARE(again->refused, refused);

        // Picking every criterion of a rubric is refused, whatever the list said.
        const qint64 prompt = before.firstKey();
        const RubricRecord head = rubric::loadHead(db, prompt).value();
        QList<rubric::DeadCriterion> everything;
        for (const CriterionRecord &c : head.criteria)
            everything.push_back({prompt,
                                  c.stableId,
                                  c.text,
                                  c.weight,
                                  rubric::DeadWay::AllPass,
                                  5,
                                  5,
                                  false,
                                  1,
                                  {}});
        auto refusedAll = rubric::pruneCriteria(*store, everything, report.runId, report.top);
        QVERIFY(refusedAll.ok());
        QCOMPARE(refusedAll->refused, 1);
        QCOMPARE(refusedAll->pruned, 0);
        QVERIFY(refusedAll->outcomes.front().note.contains(QStringLiteral("empty")));
        QCOMPARE(rubric::loadHead(db, prompt)->versionId, head.versionId);
    }

    void badInput() {
        QTemporaryDir dir;
        auto store = test::newProject(dir, QStringLiteral("empty"));
        auto db = readOnly(*store);
        rubric::DeadCriteriaOptions o;
        QCOMPARE(rubric::deadCriteria(db, o)->runId, 0); // no run: nothing can be dead
        o.top.k = 0;
        QVERIFY(!rubric::deadCriteria(db, o).ok());
        o.top.k = 5;
        o.minPrompts = 0;
        QVERIFY(!rubric::deadCriteria(db, o).ok());
        o.minPrompts = 1;
        o.runId = 99;
        QVERIFY(!rubric::deadCriteria(db, o).ok());
        // A prompt that does not exist (or has no rubric) has nothing to prune.
        auto none = rubric::pruneCriteria(*store,
                                          {{4242,
                                            QStringLiteral("c1"),
                                            QStringLiteral("x"),
                                            1,
                                            rubric::DeadWay::AllFail,
                                            2,
                                            2,
                                            false,
                                            1,
                                            {}}},
                                          0, {});
        QVERIFY(none.ok());
        QCOMPARE(none->skipped, 1);
        const QString path = store->path();
        store.reset(); // the CLI takes the project's lock

        const auto cli = [](const QStringList &args) {
            QProcess p;
            p.start(QStringLiteral(RS_CLI), QStringList{QStringLiteral("prune")} + args);
            return p.waitForFinished(60000) ? p.exitCode() : -1;
        };
        QCOMPARE(cli({path, QStringLiteral("--top"), QStringLiteral("0")}), 2);
        QCOMPARE(
            cli({path, QStringLiteral("--top"), QStringLiteral("3"), QStringLiteral("--top-tier")}),
            2);
        QCOMPARE(cli({path, QStringLiteral("--apply"), QStringLiteral("drop")}), 2);
        QCOMPARE(cli({path, QStringLiteral("--model"), QStringLiteral("m")}), 2);
        QCOMPARE(cli({path, QStringLiteral("--min-prompts"), QStringLiteral("0")}), 2);
        QCOMPARE(cli({path, QStringLiteral("--apply"), QStringLiteral("rewrite")}),
                 2); // no proposer
        QCOMPARE(cli({path, QStringLiteral("--run"), QStringLiteral("99")}), 1);
        QCOMPARE(cli({dir.filePath(QStringLiteral("missing.rubrics"))}), 1);
        QCOMPARE(cli({path, QStringLiteral("--json")}), 0);
    }
};

QTEST_GUILESS_MAIN(Prune)
#include "tst_prune.moc"
