// Contrastive generation and the preference-consistency filter (issue 16), against the local
// LLM test server on real AlpacaEval answers. The filter's decisions are recomputed here from
// the server's judge rule (tests/llmserver/README.md, restated in authoringsupport.h) and plain
// arithmetic, never through the studio's own tally; so are the per-criterion gold agreement
// rates that metrics and the Rubric tab show.
#include "analytics/projectmetrics.h"
#include "authoring/consistencyfilter.h"
#include "authoring/contrastivepairs.h"
#include "authoring/contrastiverunner.h"
#include "authoring/generationattempts.h"
#include "authoring/generationrunner.h"
#include "authoring/rtdrunner.h"
#include "authoring/rubricanswer.h"
#include "authoringsupport.h"
#include "judge/preferences.h"
#include "llm/llmscheduler.h"
#include "rubric/criterionstats.h"
#include "rubric/rubricversions.h"

using namespace rs;

namespace {

struct Response {
    qint64 id = 0;
    QString text;
};

QList<Response> responsesOf(store::Database &db, qint64 prompt) {
    auto st = db.prepare(
        "SELECT id, text FROM responses WHERE prompt_id = ?1 AND is_empty = 0 ORDER BY id");
    st->bind(1, std::int64_t(prompt));
    QList<Response> out;
    (void)st->forEach([&] { out.push_back({st->columnInt(0), st->columnText(1)}); });
    return out;
}

struct HandTally {
    int agree = 0, contradict = 0, neutral = 0;
};

// The hand-made verdict of the filter on one criterion: +1 agree, -1 contradict, 0 neutral.
int handCall(const QString &criterion, const QString &preferred, const QString &rejected) {
    const bool p = test::serverVerdict(criterion, preferred);
    const bool r = test::serverVerdict(criterion, rejected);
    return p == r ? 0 : (p ? 1 : -1);
}

double handReward(const QList<rubric::CriterionDraft> &criteria, const QString &response) {
    double met = 0, total = 0;
    for (const auto &c : criteria) {
        total += c.weight;
        met += test::serverVerdict(c.text, response) ? c.weight : 0;
    }
    return met / total;
}

// The filter by hand: drop a criterion under `min` of the pairs it separates, then the kept
// rubric's weighted sum must rank at least `min` of the pairs right.
struct HandFilter {
    QList<rubric::CriterionDraft> kept;
    int dropped = 0;
    bool keep = false;
};

HandFilter handFilter(const QList<rubric::CriterionDraft> &proposed,
                      const QList<authoring::KnownPreference> &pairs,
                      const QHash<qint64, Response> &text, double min) {
    HandFilter f;
    for (const auto &criterion : proposed) {
        int agree = 0, decisive = 0;
        for (const auto &k : pairs) {
            const int call =
                handCall(criterion.text, text[k.preferred].text, text[k.rejected].text);
            decisive += call != 0;
            agree += call > 0;
        }
        if (decisive == 0 || double(agree) / decisive >= min)
            f.kept << criterion;
        else
            ++f.dropped;
    }
    int ranked = 0;
    for (const auto &k : pairs)
        ranked +=
            handReward(f.kept, text[k.preferred].text) > handReward(f.kept, text[k.rejected].text);
    f.keep = !f.kept.isEmpty() && double(ranked) / pairs.size() >= min;
    return f;
}

QStringList texts(const QList<rubric::CriterionDraft> &criteria) {
    QStringList out;
    for (const auto &c : criteria)
        out << c.text;
    return out;
}

QStringList texts(const QList<CriterionRecord> &criteria) {
    QStringList out;
    for (const auto &c : criteria)
        out << c.text;
    return out;
}

// Gold per prompt 1..5: the shorter of the first two answers preferred, the longer of the next
// two, and a tie that must be ignored. Returns the expected pairs (most decided first).
QHash<qint64, QList<authoring::KnownPreference>>
recordGold(store::ProjectStore &store, store::Database &db, QHash<qint64, Response> &text) {
    QHash<qint64, QList<authoring::KnownPreference>> expected;
    for (qint64 p = 1; p <= 5; ++p) {
        const auto rs = responsesOf(db, p);
        if (rs.size() < 4)
            qFatal("the corpus has four answers to each of the first prompts");
        for (const auto &r : rs)
            text.insert(r.id, r);
        const bool firstShorter = test::wordCount(rs[0].text) <= test::wordCount(rs[1].text);
        const bool thirdLonger = test::wordCount(rs[2].text) >= test::wordCount(rs[3].text);
        const bool ok =
            judge::recordPreference(
                store,
                {p, rs[0].id, rs[1].id, firstShorter ? 0.0 : 1.0, QStringLiteral("human"), {}})
                .ok() &&
            judge::recordPreference(store,
                                    {p, rs[0].id, rs[2].id, 0.5, QStringLiteral("human"), {}})
                .ok() &&
            judge::recordPreference(
                store,
                {p, rs[2].id, rs[3].id, thirdLonger ? 0.2 : 0.8, QStringLiteral("human"), {}})
                .ok();
        if (!ok)
            qFatal("recording gold preferences failed");
        expected[p] = {firstShorter ? authoring::KnownPreference{rs[0].id, rs[1].id}
                                    : authoring::KnownPreference{rs[1].id, rs[0].id},
                       thirdLonger ? authoring::KnownPreference{rs[2].id, rs[3].id}
                                   : authoring::KnownPreference{rs[3].id, rs[2].id}};
    }
    return expected;
}

} // namespace

class Contrastive final : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void assess_dropsContradictingCriteria_rejectsRubricsThatMisrankPairs() {
        // Two pairs (10 over 11, 20 over 21). Verdicts by (response, criterion index).
        QHash<QPair<qint64, int>, bool> v;
        auto set = [&](qint64 r, int i, bool yes) { v.insert({r, i}, yes); };
        // c0 reproduces both; c1 contradicts one of the two it separates; c2 separates none;
        // c3 is a check (kept as it is even though it contradicts); c4 has no verdict at all.
        set(10, 0, true), set(11, 0, false), set(20, 0, true), set(21, 0, false);
        set(10, 1, true), set(11, 1, false), set(20, 1, false), set(21, 1, true);
        set(10, 2, true), set(11, 2, true), set(20, 2, false), set(21, 2, false);
        set(10, 3, false), set(11, 3, true), set(20, 3, false), set(21, 3, true);
        authoring::ConsistencyCandidate c;
        c.promptId = 7;
        c.pairs = {{10, 11}, {20, 21}};
        c.criteria = {{{}, QStringLiteral("c0"), 1, {}, {}, {}, false},
                      {{}, QStringLiteral("c1"), 3, {}, {}, {}, false},
                      {{}, QStringLiteral("c2"), 2, {}, {}, {}, false},
                      {{},
                       QStringLiteral("c3"),
                       1,
                       {},
                       {},
                       QStringLiteral("{\"type\":\"min_words\",\"value\":3}"),
                       false},
                      {{}, QStringLiteral("c4"), 1, {}, {}, {}, false}};
        auto verdict = [&](qint64 r, int i) -> std::optional<bool> {
            const auto it = v.constFind({r, i});
            return it == v.cend() ? std::nullopt : std::optional<bool>(*it);
        };
        auto r = authoring::assessConsistency(c, verdict, 0.7);
        QCOMPARE(r.criteria.size(), 5);
        QVERIFY(r.criteria[0].kept);
        QCOMPARE(r.criteria[0].tally.agree, 2);
        QVERIFY(!r.criteria[1].kept); // 1 of 2 = 50% < 70%
        QCOMPARE(r.criteria[1].tally.contradict, 1);
        QVERIFY(r.criteria[1].reason.contains(QLatin1String("1 of the 2")));
        QVERIFY(r.criteria[2].kept);
        QCOMPARE(r.criteria[2].tally.neutral, 2);
        QVERIFY(r.criteria[3].kept);
        QCOMPARE(r.criteria[3].tally.contradict, 2);
        QVERIFY(r.criteria[4].kept);
        QCOMPARE(r.criteria[4].tally.unjudged, 2);
        QCOMPARE(r.dropped(), 1);
        // c4 has no verdicts, so no pair can be scored by the kept rubric: rejected whole.
        QVERIFY(!r.kept);
        QVERIFY(!r.rubricRate.has_value());

        // Without c4: kept c0 (1), c2 (2), c3 (1). Pair 1: 10 scores (1+2)/4, 11 scores (2+1)/4;
        // pair 2: 20 scores 1/4, 21 scores 1/4. Two ties reproduce no preference: 0 of 2.
        c.criteria.removeLast();
        r = authoring::assessConsistency(c, verdict, 0.7);
        QCOMPARE(r.rubric.neutral, 2);
        QCOMPARE(r.rubric.contradict, 0);
        QCOMPARE(*r.rubricRate, 0.0);
        QVERIFY(!r.kept);
        QVERIFY(r.reason.contains(QLatin1String("0 of 2")));
        // A rate of 0 asks for nothing: every criterion and the rubric pass.
        r = authoring::assessConsistency(c, verdict, 0.0);
        QVERIFY(r.kept);
        QCOMPARE(r.keptCriteria.size(), 4);
        // A JSON detail names every criterion and what happened to it.
        const QJsonObject d = r.toDetail();
        QCOMPARE(d.value(QStringLiteral("criteria")).toArray().size(), 4);
        QCOMPARE(d.value(QStringLiteral("pairs")).toInt(), 2);
    }

    void answer_kindBecomesTag() {
        auto parsed = authoring::parseRubricAnswer(QStringLiteral(
            R"([{"criterion":"Gives the dose in mg.","weight":3,"kind":"hard_rule"},)"
            R"({"criterion":"Explains the trade-off.","weight":2,"kind":"principle"},)"
            R"({"criterion":"Is kind.","weight":1,"kind":"vibe"}])"));
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->at(0).tags, QStringList{QStringLiteral("hard_rule")});
        QCOMPARE(parsed->at(1).tags, QStringList{QStringLiteral("principle")});
        QVERIFY(parsed->at(2).tags.isEmpty());
    }

    void contrastive_goldPairs_filteredAgainstTheJudge_data() { test::addCorpusRows(); }
    void contrastive_goldPairs_filteredAgainstTheJudge() {
        RS_FETCH_CORPUS(test::alpacaDir);
        auto store = test::alpacaProject(corpus, m_dir, QStringLiteral("contrastive.rubrics"));
        auto db = store::Database::open(store->path(), store::Database::Mode::ReadOnly);
        QVERIFY(db.ok());

        QHash<qint64, Response> text;
        const auto expectedPairs = recordGold(*store, db.value(), text);
        authoring::PairOptions po;
        auto known = authoring::knownPreferences(db.value(), po);
        QVERIFY(known.ok());
        QCOMPARE(known->size(), 5);
        for (qint64 p = 1; p <= 5; ++p) {
            QCOMPARE(known->value(p).size(), 2);
            QCOMPARE(known->value(p)[0].preferred, expectedPairs[p][0].preferred);
            QCOMPARE(known->value(p)[0].rejected, expectedPairs[p][0].rejected);
            QCOMPARE(known->value(p)[1].preferred, expectedPairs[p][1].preferred);
        }

        test::ServerProcess server;
        QVERIFY(server.start());
        llm::LlmScheduler scheduler(llm::PriceTable(), store.get());
        authoring::ContrastiveRunner runner(*store, scheduler);
        authoring::ContrastiveConfig c;
        c.providers.proposer = test::serverProvider(server, QStringLiteral("test-proposer"));
        c.judge.provider = c.providers.proposer; // the judge template's marker makes it judge
        c.consistency = 0.7;
        auto result = runner.run(c, {});
        QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().message));
        QCOMPARE(result->planned, 5);
        QCOMPARE(result->failed, 0);
        QCOMPARE(result->generated + result->rejected, 5);

        // Only the pairs' answers were judged.
        QSet<qint64> pairResponses;
        for (const auto &list : std::as_const(expectedPairs))
            for (const auto &k : list)
                pairResponses << k.preferred << k.rejected;
        auto judged = db->prepare("SELECT DISTINCT response_id FROM verdicts");
        QVERIFY(judged.ok());
        int judgedResponses = 0;
        QVERIFY(judged
                    ->forEach([&] {
                        ++judgedResponses;
                        QVERIFY(pairResponses.contains(judged->columnInt(0)));
                    })
                    .ok());
        QCOMPARE(judgedResponses, pairResponses.size());

        int saved = 0, dropped = 0, rejected = 0;
        for (qint64 p = 1; p <= 5; ++p) {
            auto attempts = authoring::listAttempts(db.value(), p);
            QVERIFY(attempts.ok());
            QCOMPARE(attempts->size(), 1);
            QCOMPARE(attempts->first().kind, QStringLiteral("contrastive"));
            auto proposed = authoring::parseRubricAnswer(attempts->first().raw);
            QVERIFY(proposed.ok());
            const HandFilter f = handFilter(proposed.value(), expectedPairs[p], text, 0.7);
            dropped += f.dropped;
            const bool keep = f.keep;
            const auto &kept = f.kept;
            auto head = rubric::loadHead(db.value(), p);
            QVERIFY(head.ok());
            if (keep) {
                ++saved;
                QCOMPARE(head->origin, QStringLiteral("contrastive"));
                QCOMPARE(texts(head->criteria), texts(kept));
                auto versions = rubric::listVersions(db.value(), p);
                const QJsonObject detail = versions->last().detail;
                QCOMPARE(detail.value(QStringLiteral("pairs_from")).toString(),
                         QStringLiteral("gold"));
                QCOMPARE(detail.value(QStringLiteral("consistency"))
                             .toObject()
                             .value(QStringLiteral("dropped"))
                             .toInt(),
                         int(proposed->size() - kept.size()));
            } else {
                ++rejected;
                QCOMPARE(head->versionId, 0); // nothing saved for this prompt
                QCOMPARE(attempts->first().status, QStringLiteral("inconsistent"));
                QVERIFY(!attempts->first().error.isEmpty());
            }
        }
        QCOMPARE(result->generated, saved);
        QCOMPARE(result->rejected, rejected);
        QCOMPARE(result->droppedCriteria, dropped);
        // Shorter answers preferred in one pair and longer in the other: the length criteria
        // the server's proposer writes cannot agree with both, so the filter has work to do.
        QVERIFY(dropped + rejected > 0);

        // Per-criterion agreement with gold, as metrics and the Rubric tab count it.
        analytics::MetricOptions mo;
        mo.bootstrap = 0;
        auto m = analytics::computeProjectMetrics(db.value(), mo);
        QVERIFY(m.ok());
        int rows = 0;
        for (qint64 p = 1; p <= 5; ++p) {
            auto head = rubric::loadHead(db.value(), p);
            auto stats = rubric::criterionStats(db.value(), p);
            QVERIFY(stats.ok());
            for (const auto &criterion : head->criteria) {
                HandTally want;
                for (const auto &k : expectedPairs[p]) {
                    const int call =
                        handCall(criterion.text, text[k.preferred].text, text[k.rejected].text);
                    (call > 0 ? want.agree : call < 0 ? want.contradict : want.neutral) += 1;
                }
                const auto it = std::find_if(
                    m->goldAgreement.cbegin(), m->goldAgreement.cend(), [&](const auto &g) {
                        return g.promptId == p && g.stableId == criterion.stableId;
                    });
                QVERIFY(it != m->goldAgreement.cend());
                QCOMPARE(it->tally.agree, want.agree);
                QCOMPARE(it->tally.contradict, want.contradict);
                QCOMPARE(it->tally.neutral, want.neutral);
                QCOMPARE(it->tally.unjudged, 0);
                const auto *s = stats->find(criterion.stableId);
                QVERIFY(s);
                QCOMPARE(s->gold.agree, want.agree);
                QCOMPARE(s->gold.contradict, want.contradict);
                ++rows;
            }
        }
        QCOMPARE(int(m->goldAgreement.size()), rows);

        // Again: saved prompts are skipped; rejected ones are asked again, from the cache.
        const qint64 versionsBefore = db->scalar("SELECT count(*) FROM rubric_versions").value();
        auto again = runner.run(c, {});
        QVERIFY(again.ok());
        QCOMPARE(again->skipped, saved);
        QCOMPARE(again->rejected, rejected);
        QCOMPARE(db->scalar("SELECT count(*) FROM rubric_versions").value(), versionsBefore);
    }

    void refine_consistency_filtersEachRewrite() {
        auto store =
            test::alpacaProject(test::Corpus::Fixture, m_dir, QStringLiteral("refine.rubrics"));
        auto db = store::Database::open(store->path(), store::Database::Mode::ReadOnly);
        QHash<qint64, Response> text;
        const auto expectedPairs = recordGold(*store, db.value(), text);
        test::ServerProcess server;
        QVERIFY(server.start());
        llm::LlmScheduler scheduler(llm::PriceTable(), store.get());
        authoring::GenerationRunner gen(*store, scheduler);
        authoring::GenerationConfig g;
        g.providers.proposer = test::serverProvider(server, QStringLiteral("test-proposer"));
        QVERIFY(gen.run(g, {}).ok());

        authoring::RtdRunner rtd(*store, scheduler);
        authoring::RtdConfig c;
        c.providers.proposer = g.providers.proposer;
        c.judge.provider = c.providers.proposer;
        c.rounds = 1;
        c.consistency = 0.7;
        auto result = rtd.run(c, {});
        QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().message));
        int saved = 0, rejected = 0, dropped = 0;
        for (qint64 p = 1; p <= 5; ++p) {
            auto attempts = authoring::listAttempts(db.value(), p);
            const auto rewrite =
                std::find_if(attempts->cbegin(), attempts->cend(),
                             [](const auto &a) { return a.kind == QLatin1String("rtd"); });
            QVERIFY(rewrite != attempts->cend());
            auto proposed = authoring::parseRubricAnswer(rewrite->raw);
            QVERIFY(proposed.ok());
            const HandFilter f = handFilter(proposed.value(), expectedPairs[p], text, 0.7);
            dropped += f.dropped;
            auto head = rubric::loadHead(db.value(), p);
            if (f.keep) {
                ++saved;
                QCOMPARE(head->origin, QStringLiteral("rtd"));
                QCOMPARE(texts(head->criteria), texts(f.kept));
                auto versions = rubric::listVersions(db.value(), p);
                QVERIFY(versions->last().detail.contains(QStringLiteral("consistency")));
            } else {
                ++rejected;
                QCOMPARE(head->origin, QStringLiteral("generation")); // the rewrite was not saved
                QCOMPARE(rewrite->status, QStringLiteral("inconsistent"));
            }
        }
        QCOMPARE(result->roundsDone, saved);
        QCOMPARE(result->rejected, rejected);
        QCOMPARE(result->droppedCriteria, dropped);
        QVERIFY(dropped + rejected > 0);

        // Top-two pairs cannot check a rewrite whose job is to split them.
        c.consistencyPairs.source = authoring::PairSource::Top2;
        QVERIFY(!rtd.run(c, {}).ok());
    }

    void pairs_fromTiers_andErrors() {
        auto store =
            test::alpacaProject(test::Corpus::Fixture, m_dir, QStringLiteral("tiers.rubrics"));
        auto ok = store->writer().write([](store::Database &db) -> Expected<void> {
            // Per prompt: the two lowest ids "great", the next two "good".
            return db.exec(
                "UPDATE responses SET tier = CASE"
                " WHEN (SELECT count(*) FROM responses r WHERE r.prompt_id = responses.prompt_id"
                "       AND r.id < responses.id) < 2 THEN 'great'"
                " WHEN (SELECT count(*) FROM responses r WHERE r.prompt_id = responses.prompt_id"
                "       AND r.id < responses.id) < 4 THEN 'good' ELSE '' END");
        });
        QVERIFY(ok.ok());
        auto db = store::Database::open(store->path(), store::Database::Mode::ReadOnly);
        authoring::PairOptions po;
        po.source = authoring::PairSource::Tiers;
        po.maxPairs = 5;
        auto known = authoring::knownPreferences(db.value(), po);
        QVERIFY(known.ok());
        QCOMPARE(known->size(), 5);
        auto tierOf = db->prepare(
            "SELECT id, tier FROM responses WHERE prompt_id = ?1 AND is_empty = 0 ORDER BY id");
        for (qint64 p = 1; p <= 5; ++p) {
            QList<qint64> great, good;
            tierOf->reset();
            tierOf->bind(1, std::int64_t(p));
            QVERIFY(tierOf
                        ->forEach([&] {
                            if (tierOf->columnText(1) == QLatin1String("great"))
                                great << tierOf->columnInt(0);
                            else if (tierOf->columnText(1) == QLatin1String("good"))
                                good << tierOf->columnInt(0);
                        })
                        .ok());
            const qsizetype n = std::min(great.size(), good.size());
            QVERIFY(n >= 1);
            QCOMPARE(known->value(p).size(), n);
            for (qsizetype i = 0; i < n; ++i) {
                QCOMPARE(known->value(p)[i].preferred, great[i]);
                QCOMPARE(known->value(p)[i].rejected, good[i]);
            }
        }
        po.maxPairs = 1;
        po.promptIds = {2};
        known = authoring::knownPreferences(db.value(), po);
        QCOMPARE(known->size(), 1);
        QCOMPARE(known->value(2).size(), 1);
        po.betterTier = po.worseTier = QStringLiteral("good");
        QVERIFY(!authoring::knownPreferences(db.value(), po).ok());
        // Top two need a judge run.
        po.source = authoring::PairSource::Top2;
        po.betterTier.clear();
        po.worseTier.clear();
        QVERIFY(!authoring::knownPreferences(db.value(), po).ok());
        QCOMPARE(authoring::pairSourceFromName(QStringLiteral("tiers")),
                 authoring::PairSource::Tiers);
        QVERIFY(!authoring::pairSourceFromName(QStringLiteral("best")).has_value());
    }
};

QTEST_GUILESS_MAIN(Contrastive)
#include "tst_contrastive.moc"
