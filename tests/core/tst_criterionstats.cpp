// Per-criterion stats over a judge run: yes-rate per tier, and "dead" when every top response
// passes (or every one fails) so the criterion cannot separate the best responses.
#include "judge/judgetemplate.h"
#include "rubric/criterionstats.h"
#include "rubric/rubricversions.h"
#include "testsupport.h"

using namespace rs;

class CriterionStatsTest final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void yesRateByTierAndDeadFlag() {
        QTemporaryDir dir;
        auto store = test::newProject(dir);
        // One prompt, four responses (two "great", two "base"), three criteria, one run.
        // c1: yes for everyone (dead at the top); c2: yes for the great ones only; c3: no for all.
        const QStringList texts{QStringLiteral("Names the cause."),
                                QStringLiteral("Gives a number."),
                                QStringLiteral("Cites a source.")};
        const QList<QList<bool>> yes{
            {true, true, false}, {true, true, false}, {true, false, false}, {true, false, false}};
        const QStringList tiers{QStringLiteral("great"), QStringLiteral("great"),
                                QStringLiteral("base"), QStringLiteral("base")};
        qint64 promptId = 0;
        auto w = store->writer().write([&](store::Database &db) -> Expected<void> {
            if (auto r = db.exec("INSERT INTO prompts(text) VALUES('q')"); !r)
                return r;
            promptId = db.lastInsertId();
            if (auto r = db.exec("INSERT INTO judge_runs(name, provider, model, mode, template, "
                                 "template_version)"
                                 " VALUES('r', 'p', 'm', 'all_in_one', 't', '1')");
                !r)
                return r;
            const qint64 run = db.lastInsertId();
            for (int i = 0; i < 4; ++i) {
                auto st =
                    db.prepare("INSERT INTO responses(prompt_id, generator, text, text_hash, tier)"
                               " VALUES(?1, ?2, 'x', ?3, ?4)");
                st->bind(1, std::int64_t(promptId));
                st->bind(2, QStringLiteral("g%1").arg(i));
                st->bind(3, std::int64_t(i));
                st->bind(4, tiers[i]);
                if (auto r = st->run(); !r)
                    return r;
                const qint64 resp = db.lastInsertId();
                for (int c = 0; c < 3; ++c) {
                    auto v = db.prepare("INSERT INTO verdicts(run_id, response_id, criterion_hash, "
                                        "stable_id, verdict)"
                                        " VALUES(?1, ?2, ?3, ?4, ?5)");
                    v->bind(1, std::int64_t(run));
                    v->bind(2, std::int64_t(resp));
                    v->bind(3, std::int64_t(judge::criterionHash(texts[c], 1, false)));
                    v->bind(4, QStringLiteral("c%1").arg(c + 1));
                    v->bind(5, yes[i][c] ? QStringLiteral("yes") : QStringLiteral("no"));
                    if (auto r = v->run(); !r)
                        return r;
                }
            }
            return {};
        });
        QVERIFY2(w.ok(), qPrintable(w.ok() ? QString() : w.error().toString()));
        QList<rubric::CriterionDraft> drafts;
        for (const auto &t : texts)
            drafts.push_back({{}, t, 1, {}, {}});
        QVERIFY(rubric::saveVersion(*store, promptId, {QStringLiteral("manual"), {}}, drafts).ok());

        auto db = store::Database::open(store->path(), store::Database::Mode::ReadOnly);
        auto stats = rubric::criterionStats(db.value(), promptId, 0, 2);
        QVERIFY2(stats.ok(), qPrintable(stats.ok() ? QString() : stats.error().toString()));
        QCOMPARE(stats->topK, 2);
        QCOMPARE(stats->criteria.size(), 3);
        const auto *c1 = stats->find(QStringLiteral("c1"));
        const auto *c2 = stats->find(QStringLiteral("c2"));
        const auto *c3 = stats->find(QStringLiteral("c3"));
        QVERIFY(c1 && c2 && c3);
        QCOMPARE(c1->byTier.value(QStringLiteral("great")).rate(), 1.0);
        QCOMPARE(c1->byTier.value(QStringLiteral("base")).rate(), 1.0);
        QCOMPARE(c2->byTier.value(QStringLiteral("great")).rate(), 1.0);
        QCOMPARE(c2->byTier.value(QStringLiteral("base")).rate(), 0.0);
        QCOMPARE(c2->overall.judged, 4);
        QCOMPARE(c2->overall.yes, 2);
        // The top two by reward are the great ones, where c2 also passes everywhere: with k = 2
        // every criterion is dead (c1, c2 all pass; c3 all fail) ...
        QVERIFY(c1->dead && c2->dead && c3->dead);
        // ... and with k = 4, c2 separates the responses and is alive.
        auto wide = rubric::criterionStats(db.value(), promptId, 0, 4);
        QVERIFY(wide->find(QStringLiteral("c1"))->dead);
        QVERIFY(!wide->find(QStringLiteral("c2"))->dead);
        QVERIFY(wide->find(QStringLiteral("c3"))->dead);
    }

    void noRun_givesEmptyStats() {
        QTemporaryDir dir;
        auto store = test::newProject(dir);
        auto db = store::Database::open(store->path(), store::Database::Mode::ReadOnly);
        auto stats = rubric::criterionStats(db.value(), 1);
        QVERIFY(stats.ok());
        QCOMPARE(stats->runId, 0);
        QVERIFY(stats->criteria.isEmpty());
    }
};

QTEST_GUILESS_MAIN(CriterionStatsTest)
#include "tst_criterionstats.moc"
