// RTD against the local LLM test server on five AlpacaEval-format prompts with every model's
// answers (the fixture's six, and the shared data's ten when present): the rounds give one
// version each in one parent chain, each round's pair is the top two by the server's judge rule
// (recomputed here from the rule, not read from the runner), used responses leave the pool and
// are never judged again, an empty answer never enters it, and an interrupted run resumes
// without duplicating rounds.
#include "authoring/generationrunner.h"
#include "authoring/pairselection.h"
#include "authoring/rtdrounds.h"
#include "authoring/rtdrunner.h"
#include "authoringsupport.h"
#include "judge/judgetemplate.h"
#include "llm/llmscheduler.h"
#include "rubric/rubricversions.h"

#include <QSet>

using namespace rs;

namespace {

struct Resp {
    qint64 id;
    QString text;
};

/// The answers RTD may pick from: a prompt's responses, empty ones left out (the fixture's
/// haiku prompt has one).
QList<Resp> poolOf(store::Database &db, qint64 promptId)
{
    QList<Resp> out;
    auto st = db.prepare("SELECT id, text FROM responses WHERE prompt_id = ?1 AND NOT is_empty"
                         " ORDER BY id");
    st->bind(1, std::int64_t(promptId));
    while (st->step().value())
        out.push_back({st->columnInt(0), st->columnText(1)});
    return out;
}

double expectedReward(const QList<CriterionRecord> &criteria, const QString &text)
{
    double num = 0, den = 0;
    for (const auto &c : criteria) {
        den += c.weight;
        if (test::serverVerdict(c.text, text))
            num += c.weight;
    }
    return den > 0 ? num / den : 0;
}

QSet<qint64> judgedFor(store::Database &db, qint64 hash, qint64 promptId)
{
    QSet<qint64> out;
    auto st = db.prepare("SELECT DISTINCT v.response_id FROM verdicts v JOIN responses r ON r.id = v.response_id"
                         " WHERE v.criterion_hash = ?1 AND r.prompt_id = ?2");
    st->bind(1, std::int64_t(hash));
    st->bind(2, std::int64_t(promptId));
    while (st->step().value())
        out.insert(st->columnInt(0));
    return out;
}

} // namespace

class Rtd final : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    /// Rounds per prompt: each uses two answers, and (with no empty answer) two are left.
    static int roundsFor(test::Corpus corpus)
    {
        return (test::alpacaFacts(corpus).answersPerFirstPrompt - 2) / 2;
    }

    static authoring::RtdConfig rtdConfig(const test::ServerProcess &server, int rounds)
    {
        authoring::RtdConfig c;
        // One model name for both roles, as the acceptance check does: the judge template's
        // [role:judge] marker must be what makes the server judge.
        c.providers.proposer = test::serverProvider(server, QStringLiteral("test-proposer"));
        c.judge.provider = c.providers.proposer;
        c.rounds = rounds;
        return c;
    }

    std::unique_ptr<store::ProjectStore> generated(test::Corpus corpus, const QString &name,
                                                   const test::ServerProcess &server,
                                                   llm::LlmScheduler **scheduler)
    {
        auto store = test::alpacaProject(corpus, m_dir, name);
        *scheduler = new llm::LlmScheduler(llm::PriceTable(), store.get());
        authoring::GenerationRunner gen(*store, **scheduler);
        authoring::GenerationConfig g;
        g.providers.proposer = test::serverProvider(server, QStringLiteral("test-proposer"));
        if (!gen.run(g, {}).ok())
            qFatal("generation failed");
        return store;
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void pairSelection()
    {
        using authoring::PairSelection;
        const QList<authoring::PoolEntry> pool{{5, 0.5}, {3, 0.9}, {9, 0.9}, {7, 0.9}, {1, 0.2}};
        auto top = authoring::selectPair(pool, PairSelection::Top2, 1, 1, 1);
        QVERIFY(top.ok());
        QCOMPARE(top->a, 3); // equal rewards: the lower id first
        QCOMPARE(top->b, 7);
        QCOMPARE(top->tiesAtTop, 3);
        QCOMPARE(top->topScore, 0.9);

        // Tied: two of the three tied at the top, the same ones for the same seed, and
        // different seeds do not always agree.
        QSet<QString> seen;
        for (std::uint64_t seed = 1; seed <= 20; ++seed) {
            auto t = authoring::selectPair(pool, PairSelection::Tied, seed, 4, 2);
            auto again = authoring::selectPair(pool, PairSelection::Tied, seed, 4, 2);
            QVERIFY(t.ok());
            QCOMPARE(t->a, again->a);
            QCOMPARE(t->b, again->b);
            QVERIFY(t->a != t->b);
            QVERIFY(QSet<qint64>({3, 7, 9}).contains(t->a) && QSet<qint64>({3, 7, 9}).contains(t->b));
            seen.insert(QStringLiteral("%1-%2").arg(t->a).arg(t->b));
        }
        QVERIFY(seen.size() > 1);
        // One clear winner: it is always A, B is drawn among those tied for second place.
        const QList<authoring::PoolEntry> second{{1, 1.0}, {2, 0.5}, {3, 0.5}, {4, 0.1}};
        for (std::uint64_t seed = 1; seed <= 10; ++seed) {
            auto t = authoring::selectPair(second, PairSelection::Tied, seed, 1, 1);
            QCOMPARE(t->a, 1);
            QVERIFY(t->b == 2 || t->b == 3);
            QCOMPARE(t->tiesAtTop, 1);
        }

        auto manual = authoring::selectPair(pool, PairSelection::Manual, 1, 1, 1, std::make_pair(qint64(1), qint64(9)));
        QVERIFY(manual.ok());
        QCOMPARE(manual->a, 1);
        QCOMPARE(manual->scoreB, 0.9);
        QVERIFY(!authoring::selectPair(pool, PairSelection::Manual, 1, 1, 1, std::make_pair(qint64(1), qint64(42))).ok());
        QVERIFY(!authoring::selectPair({{1, 0.3}}, PairSelection::Top2, 1, 1, 1).ok());
    }

    void roundsOnFivePrompts_data() { test::addCorpusRows(); }
    void roundsOnFivePrompts()
    {
        RS_FETCH_CORPUS(test::alpacaDir);
        const int rounds = roundsFor(corpus);
        test::ServerProcess server;
        QVERIFY(server.start());
        llm::LlmScheduler *sched = nullptr;
        auto store = generated(corpus, QStringLiteral("rounds.rubrics"), server, &sched);
        std::unique_ptr<llm::LlmScheduler> scheduler(sched);
        authoring::RtdRunner runner(*store, *scheduler);
        auto result = runner.run(rtdConfig(server, rounds), {});
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
        QCOMPARE(result->prompts, 5);
        QCOMPARE(result->roundsDone, 5 * rounds);
        QCOMPARE(result->failed, 0);
        QCOMPARE(result->judgeFailures, 0);
        QCOMPARE(result->promptsComplete, 5);

        auto db = store::Database::open(store->path(), store::Database::Mode::ReadOnly);
        int tiedRounds = 0;
        for (qint64 p = 1; p <= 5; ++p) {
            // One chain: the generated version, then a version per round.
            auto versions = rubric::listVersions(db.value(), p);
            QCOMPARE(versions->size(), rounds + 1);
            QCOMPARE(versions->at(0).origin, QStringLiteral("generation"));
            for (int k = 1; k <= rounds; ++k) {
                QCOMPARE(versions->at(k).origin, QStringLiteral("rtd"));
                QCOMPARE(versions->at(k).parentId, versions->at(k - 1).id);
                QCOMPARE(versions->at(k).detail.value(QStringLiteral("round")).toInt(), k);
                QCOMPARE(versions->at(k).detail.value(QStringLiteral("previous_version")).toInteger(),
                         versions->at(k - 1).id);
            }
            QCOMPARE(rubric::loadHead(db.value(), p)->versionId, versions->at(rounds).id);

            auto saved = authoring::listRounds(db.value(), p);
            QCOMPARE(saved->size(), rounds);
            QList<Resp> pool = poolOf(db.value(), p);
            const qsizetype initialPool = pool.size();
            QSet<qint64> used;
            for (int k = 0; k < rounds; ++k) {
                const auto &r = saved->at(k);
                QCOMPARE(r.round, k + 1);
                QCOMPARE(r.previousVersionId, versions->at(k).id);
                QCOMPARE(r.versionId, versions->at(k + 1).id);
                QCOMPARE(r.poolSize, int(pool.size()));
                // The expected pair, from the server's rule applied to the rubric of that round.
                auto rubric = rubric::loadVersion(db.value(), r.previousVersionId);
                QList<std::pair<double, qint64>> ranked;
                for (const Resp &x : pool)
                    ranked.push_back({expectedReward(rubric->criteria, x.text), x.id});
                std::sort(ranked.begin(), ranked.end(), [](const auto &x, const auto &y) {
                    return x.first != y.first ? x.first > y.first : x.second < y.second;
                });
                QCOMPARE(r.responseA, ranked[0].second);
                QCOMPARE(r.responseB, ranked[1].second);
                QCOMPARE(r.scoreA, ranked[0].first);
                QCOMPARE(r.scoreB, ranked[1].first);
                const int ties = int(std::count_if(ranked.begin(), ranked.end(),
                                                   [&](const auto &e) { return e.first == ranked[0].first; }));
                QCOMPARE(r.tiesAtTop, ties);
                tiedRounds += ties > 1;

                // Criteria new in this round's rubric were judged on exactly the remaining
                // pool: used responses are never asked about again.
                QSet<QString> earlier;
                for (int j = 0; j < k; ++j) {
                    const auto older = rubric::loadVersion(db.value(), versions->at(j).id);
                    for (const auto &c : older->criteria)
                        earlier.insert(c.text);
                }
                QSet<qint64> poolIds;
                for (const Resp &x : pool)
                    poolIds.insert(x.id);
                for (const auto &c : rubric->criteria) {
                    const auto judged = judgedFor(db.value(), judge::criterionHash(c.text, c.weight, false), p);
                    if (earlier.contains(c.text))
                        QVERIFY(poolIds - judged == QSet<qint64>{});
                    else
                        QCOMPARE(judged, poolIds);
                }

                QVERIFY(!used.contains(r.responseA) && !used.contains(r.responseB));
                used << r.responseA << r.responseB;
                pool.erase(std::remove_if(pool.begin(), pool.end(),
                                          [&](const Resp &x) { return used.contains(x.id); }),
                           pool.end());
            }
            QCOMPARE(used.size(), 2 * rounds);
            QCOMPARE(pool.size(), initialPool - 2 * rounds);
        }
        QVERIFY(tiedRounds > 0); // the data does produce ties, so the tie rule was exercised

        // Another run has nothing to do: every prompt has its rounds.
        auto again = runner.run(rtdConfig(server, rounds), {});
        QVERIFY(again.ok());
        QCOMPARE(again->roundsDone, 0);
        QCOMPARE(again->roundsBefore, 5 * rounds);
        QCOMPARE(again->calls, 0);
    }

    void interruptedRunResumesWithoutDuplicates_data() { test::addCorpusRows(); }
    void interruptedRunResumesWithoutDuplicates()
    {
        RS_FETCH_CORPUS(test::alpacaDir);
        const int rounds = roundsFor(corpus);
        test::ServerProcess server;
        QVERIFY(server.start());
        llm::LlmScheduler *sched = nullptr;
        auto store = generated(corpus, QStringLiteral("resume.rubrics"), server, &sched);
        std::unique_ptr<llm::LlmScheduler> scheduler(sched);
        authoring::RtdRunner runner(*store, *scheduler);

        // All but the last two rounds first (none on the fixture), then a run cancelled once the
        // next round is saved (the runner asks right after each round's writes): one round is
        // still to do after it.
        const int first = rounds - 2;
        if (first > 0)
            QVERIFY(runner.run(rtdConfig(server, first), {}).ok());
        auto cancelled =
            runner.run(rtdConfig(server, rounds), {},
                       [](const authoring::AuthoringProgress &p) { return p.done < 5; });
        QVERIFY(cancelled.ok());
        QVERIFY(cancelled->cancelled);
        QCOMPARE(cancelled->roundsBefore, 5 * first);
        auto db = store::Database::open(store->path(), store::Database::Mode::ReadOnly);
        const qint64 roundsAfterCancel = db->scalar("SELECT count(*) FROM rtd_rounds").value();
        QCOMPARE(roundsAfterCancel, 5 * (first + 1));

        // A crash between saving a version and its round: the round row is lost, the version
        // (whose detail holds the round) is not.
        auto w = store->writer().write([](store::Database &d) {
            return d.exec("DELETE FROM rtd_rounds WHERE id = (SELECT max(id) FROM rtd_rounds)");
        });
        QVERIFY(w.ok());

        auto resumed = runner.run(rtdConfig(server, rounds), {});
        QVERIFY(resumed.ok());
        QCOMPARE(resumed->roundsBefore + resumed->roundsDone, 5 * rounds);
        QCOMPARE(db->scalar("SELECT count(*) FROM rtd_rounds").value(), 5 * rounds);
        QCOMPARE(db->scalar("SELECT count(*) FROM rubric_versions").value(), 5 * (rounds + 1));
        QCOMPARE(
            db->scalar("SELECT count(*) FROM (SELECT DISTINCT prompt_id, round FROM rtd_rounds)")
                .value(),
            5 * rounds);
        QCOMPARE(
            db->scalar(
                  "SELECT count(*) FROM rtd_rounds r JOIN rubric_versions v ON v.id = r.version_id"
                  " WHERE v.origin = 'rtd'")
                .value(),
            5 * rounds);
        for (qint64 p = 1; p <= 5; ++p) {
            auto saved = authoring::listRounds(db.value(), p);
            QSet<qint64> used;
            for (const auto &r : saved.value())
                used << r.responseA << r.responseB;
            QCOMPARE(used.size(), 2 * rounds);
        }
    }

    void handPickedPairAndProposalsAwaitingReview_data() { test::addCorpusRows(); }
    void handPickedPairAndProposalsAwaitingReview()
    {
        RS_FETCH_CORPUS(test::alpacaDir);
        test::ServerProcess server;
        QVERIFY(server.start());
        llm::LlmScheduler *sched = nullptr;
        auto store = generated(corpus, QStringLiteral("manual.rubrics"), server, &sched);
        std::unique_ptr<llm::LlmScheduler> scheduler(sched);
        authoring::RtdRunner runner(*store, *scheduler);
        auto db = store::Database::open(store->path(), store::Database::Mode::ReadOnly);
        const QList<Resp> resp = poolOf(db.value(), 3);
        const Resp &picked = resp[resp.size() - 3]; // the 8th of ten, the 4th of six

        auto c = rtdConfig(server, roundsFor(corpus));
        c.selection = authoring::PairSelection::Manual;
        c.manualPair = std::make_pair(picked.id, resp[2].id);
        c.autoAccept = false;
        auto result = runner.run(c, {});
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
        QCOMPARE(result->pending.size(), 1);
        const auto &pending = result->pending.first();
        QCOMPARE(pending.round.responseA, picked.id);
        QCOMPARE(pending.round.responseB, resp[2].id);
        QCOMPARE(pending.round.selection, QStringLiteral("manual"));
        QCOMPARE(db->scalar("SELECT count(*) FROM rtd_rounds").value(), 0); // nothing saved yet
        // Unchanged criteria keep their ids through the rewrite.
        QSet<QString> before;
        for (const auto &x : pending.previous)
            before.insert(x.text);
        int kept = 0;
        for (const auto &d : pending.proposed)
            if (before.contains(d.text)) {
                ++kept;
                QVERIFY(!d.stableId.isEmpty());
            }
        QVERIFY(kept > 0);

        // The user accepts all but the first proposed criterion.
        auto accepted = pending.proposed.mid(1);
        auto v = authoring::RtdRunner::acceptRound(*store, pending, accepted);
        QVERIFY(v.ok());
        auto head = rubric::loadHead(db.value(), 3);
        QCOMPARE(head->versionId, v.value());
        QCOMPARE(head->criteria.size(), accepted.size());
        auto rounds = authoring::listRounds(db.value(), 3);
        QCOMPARE(rounds->size(), 1);
        QCOMPARE(rounds->first().versionId, v.value());

        // A pair from two prompts is refused.
        c.manualPair = std::make_pair(resp[0].id, poolOf(db.value(), 4).first().id);
        QVERIFY(!runner.run(c, {}).ok());
    }
};

QTEST_GUILESS_MAIN(Rtd)
#include "tst_rtd.moc"
