// Rubric versions: saving keeps lineage and stable ids, restore and tags work, and an LLM's
// renumbered, reordered rewrite keeps the ids of the criteria it only reworded.
#include "rubric/rubricversions.h"
#include "rubric/stableids.h"
#include "testsupport.h"

using namespace rs;
using rubric::CriterionDraft;
using rubric::VersionOrigin;

namespace {

qint64 addPrompt(store::ProjectStore &store, const QString &text) {
    qint64 id = 0;
    auto r = store.writer().write([&](store::Database &db) -> Expected<void> {
        auto st = db.prepare("INSERT INTO prompts(text) VALUES(?1)");
        if (!st)
            return st.error();
        st->bind(1, text);
        if (auto res = st->run(); !res)
            return res;
        id = db.lastInsertId();
        return {};
    });
    if (!r)
        qFatal("addPrompt: %s", qPrintable(r.error().toString()));
    return id;
}

store::Database readDb(store::ProjectStore &store) {
    auto db = store::Database::open(store.path(), store::Database::Mode::ReadOnly);
    if (!db)
        qFatal("open: %s", qPrintable(db.error().toString()));
    return std::move(db.value());
}

QStringList ids(const QList<CriterionRecord> &cs) {
    QStringList out;
    for (const auto &c : cs)
        out << c.stableId;
    return out;
}

QStringList ids(const QList<CriterionDraft> &cs) {
    QStringList out;
    for (const auto &c : cs)
        out << c.stableId;
    return out;
}

} // namespace

class RubricVersions final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void firstSave_createsRubricWithFreshIds() {
        QTemporaryDir dir;
        auto store = test::newProject(dir);
        const qint64 p = addPrompt(*store, QStringLiteral("Why is the sky blue?"));
        auto db = readDb(*store);
        auto none = rubric::loadHead(db, p);
        QVERIFY(none.ok());
        QCOMPARE(none->versionId, 0);

        auto v1 = rubric::saveVersion(*store, p, {QStringLiteral("manual"), {}},
                                      {{{},
                                        QStringLiteral("Mentions Rayleigh scattering."),
                                        3,
                                        QStringLiteral("essential"),
                                        {QStringLiteral("physics")}},
                                       {{}, QStringLiteral("Is under 200 words."), 1, {}, {}}});
        QVERIFY2(v1.ok(), qPrintable(v1.ok() ? QString() : v1.error().toString()));
        auto head = rubric::loadHead(db, p);
        QVERIFY(head.ok());
        QCOMPARE(head->versionId, v1.value());
        QCOMPARE(ids(head->criteria), (QStringList{QStringLiteral("c1"), QStringLiteral("c2")}));
        QCOMPARE(head->criteria.at(0).weight, 3.0);
        QCOMPARE(head->criteria.at(0).category, QStringLiteral("essential"));
        QCOMPARE(head->criteria.at(0).tags, QStringList{QStringLiteral("physics")});
        QCOMPARE(head->scoring, QStringLiteral("weights"));
        // The project reader (what the other views use) sees the same head.
        auto reader = store->reader();
        auto viaReader = reader->rubric(p);
        QVERIFY(viaReader.ok() && viaReader->has_value());
        QCOMPARE((*viaReader)->versionId, v1.value());
    }

    void secondSave_keepsIdsParentAndNeverReusesRemovedIds() {
        QTemporaryDir dir;
        auto store = test::newProject(dir);
        const qint64 p = addPrompt(*store, QStringLiteral("q"));
        auto v1 = rubric::saveVersion(*store, p, {QStringLiteral("manual"), {}},
                                      {{{}, QStringLiteral("A"), 1, {}, {}},
                                       {{}, QStringLiteral("B"), 1, {}, {}},
                                       {{}, QStringLiteral("C"), 1, {}, {}}});
        QVERIFY(v1.ok());
        // Drop c3, keep c1 re-weighted, add one: it gets c4, not c3.
        const QJsonObject detail{{QStringLiteral("model"), QStringLiteral("m")},
                                 {QStringLiteral("round"), 2}};
        auto v2 = rubric::saveVersion(*store, p, {QStringLiteral("rtd"), detail},
                                      {{QStringLiteral("c1"), QStringLiteral("A"), 5, {}, {}},
                                       {QStringLiteral("c2"), QStringLiteral("B"), 1, {}, {}},
                                       {{}, QStringLiteral("D"), 1, {}, {}}});
        QVERIFY(v2.ok());
        auto db = readDb(*store);
        QCOMPARE(ids(rubric::loadVersion(db, v2.value())->criteria),
                 (QStringList{QStringLiteral("c1"), QStringLiteral("c2"), QStringLiteral("c4")}));
        auto v3 = rubric::saveVersion(*store, p, {QStringLiteral("manual"), {}},
                                      {{{}, QStringLiteral("E"), 1, {}, {}}});
        QCOMPARE(ids(rubric::loadVersion(db, v3.value())->criteria),
                 QStringList{QStringLiteral("c5")});

        auto versions = rubric::listVersions(db, p);
        QVERIFY(versions.ok());
        QCOMPARE(versions->size(), 3);
        QCOMPARE(versions->at(0).parentId, 0);
        QCOMPARE(versions->at(1).parentId, v1.value());
        QCOMPARE(versions->at(1).origin, QStringLiteral("rtd"));
        QCOMPARE(versions->at(1).detail, detail);
        QCOMPARE(versions->at(1).criteria, 3);
        QCOMPARE(versions->at(2).parentId, v2.value());
        QVERIFY(!versions->at(0).createdAt.isEmpty());

        // An explicit parent (a branch from v1) is honoured.
        auto v4 = rubric::saveVersion(*store, p, {QStringLiteral("generation"), {}},
                                      {{{}, QStringLiteral("F"), 1, {}, {}}}, v1.value());
        QVERIFY(v4.ok());
        QCOMPARE(rubric::listVersions(db, p)->last().parentId, v1.value());
    }

    void contentHash_matchesImportedRubric() {
        // A criterion saved by hand and the same one imported must share verdicts, so the
        // hashes must agree. The import stores its hash; compare against it.
        QTemporaryDir dir;
        auto store = test::newProject(dir);
        const QString file = test::writeFile(
            dir, QStringLiteral("r.jsonl"),
            QByteArrayLiteral("{\"prompt\": \"Why?\", \"rubrics\": [{\"criterion\": \"Says why.\", "
                              "\"weight\": 2}]}\n"));
        import::ImportConfig cfg;
        cfg.files = {file};
        auto res = import::importFiles(*store, cfg, {});
        QVERIFY2(res.ok(), qPrintable(res.ok() ? QString() : res.error().toString()));
        auto db = readDb(*store);
        const qint64 imported = db.scalar("SELECT content_hash FROM criteria").value();
        const qint64 p = db.scalar("SELECT id FROM prompts").value();
        auto v =
            rubric::saveVersion(*store, p, {QStringLiteral("manual"), {}},
                                {{QStringLiteral("c1"), QStringLiteral("Says why."), 2, {}, {}}});
        QVERIFY(v.ok());
        auto st = db.prepare("SELECT content_hash FROM criteria WHERE version_id = ?1");
        st->bind(1, std::int64_t(v.value()));
        QVERIFY(st->step().value());
        QCOMPARE(qint64(st->columnInt(0)), imported);
    }

    void restoreAndTag() {
        QTemporaryDir dir;
        auto store = test::newProject(dir);
        const qint64 p = addPrompt(*store, QStringLiteral("q"));
        auto v1 = rubric::saveVersion(*store, p, {QStringLiteral("manual"), {}},
                                      {{{}, QStringLiteral("A"), 2, {}, {}}});
        auto v2 = rubric::saveVersion(*store, p, {QStringLiteral("manual"), {}},
                                      {{{}, QStringLiteral("B"), 1, {}, {}}});
        QVERIFY(v1.ok() && v2.ok());
        auto v3 = rubric::restoreVersion(*store, v1.value());
        QVERIFY(v3.ok());
        auto db = readDb(*store);
        auto head = rubric::loadHead(db, p);
        QCOMPARE(head->versionId, v3.value());
        QCOMPARE(head->origin, QStringLiteral("restore"));
        QCOMPARE(head->criteria.size(), 1);
        QCOMPARE(head->criteria.at(0).text, QStringLiteral("A"));
        QCOMPARE(head->criteria.at(0).stableId, QStringLiteral("c1"));
        auto versions = rubric::listVersions(db, p);
        QCOMPARE(versions->last().parentId, v2.value());
        QCOMPARE(versions->last().detail.value(QStringLiteral("from")).toInteger(), v1.value());

        QVERIFY(rubric::setVersionTag(*store, v1.value(), QStringLiteral("baseline")).ok());
        QCOMPARE(rubric::listVersions(db, p)->first().tag, QStringLiteral("baseline"));
        QVERIFY(rubric::setVersionTag(*store, v1.value(), QString()).ok());
        QCOMPARE(rubric::listVersions(db, p)->first().tag, QString());
        QVERIFY(!rubric::setVersionTag(*store, 999, QStringLiteral("x")).ok());
        QVERIFY(!rubric::restoreVersion(*store, 999).ok());
        QVERIFY(!rubric::loadVersion(db, 999).ok());
    }

    void badParentOrPrompt_isRefused() {
        QTemporaryDir dir;
        auto store = test::newProject(dir);
        const qint64 p = addPrompt(*store, QStringLiteral("q"));
        const qint64 q = addPrompt(*store, QStringLiteral("r"));
        auto vp = rubric::saveVersion(*store, p, {QStringLiteral("manual"), {}},
                                      {{{}, QStringLiteral("A"), 1, {}, {}}});
        QVERIFY(vp.ok());
        QVERIFY(rubric::saveVersion(*store, q, {QStringLiteral("manual"), {}},
                                    {{{}, QStringLiteral("A"), 1, {}, {}}})
                    .ok());
        QVERIFY(
            !rubric::saveVersion(*store, q, {QStringLiteral("manual"), {}}, {}, vp.value()).ok());
        QVERIFY(!rubric::saveVersion(*store, 12345, {QStringLiteral("manual"), {}}, {}).ok());
    }

    void renumberedReorderedRewrite_keepsIds() {
        const QList<CriterionRecord> previous{
            {0,
             QStringLiteral("c1"),
             QStringLiteral(
                 "Explains that blue light is scattered more than red light by air molecules."),
             3,
             {},
             {}},
            {0,
             QStringLiteral("c2"),
             QStringLiteral("Names Rayleigh scattering as the mechanism."),
             2,
             {},
             {}},
            {0,
             QStringLiteral("c3"),
             QStringLiteral("Mentions why sunsets look red or orange."),
             1,
             {},
             {}},
            {0,
             QStringLiteral("c5"),
             QStringLiteral("Keeps the answer under 150 words."),
             1,
             {},
             {}}};
        // The LLM renumbers from 1, reorders, rewords lightly, re-weights, drops one, adds one.
        const QList<CriterionDraft> proposed{
            {QStringLiteral("1"),
             QStringLiteral("1. Names Rayleigh scattering as the physical mechanism."),
             3,
             {},
             {}},
            {QStringLiteral("2"),
             QStringLiteral("2. Keeps the answer under 120 words."),
             1,
             {},
             {}},
            {QStringLiteral("3"),
             QStringLiteral(
                 "3. Explains that air molecules scatter blue light more strongly than red light."),
             3,
             {},
             {}},
            {QStringLiteral("4"),
             QStringLiteral("4. Gives an everyday analogy a child could follow."),
             1,
             {},
             {}}};
        const auto out = rubric::assignStableIds(previous, proposed);
        QCOMPARE(ids(out), (QStringList{QStringLiteral("c2"), QStringLiteral("c5"),
                                        QStringLiteral("c1"), QString()}));
        QCOMPARE(out.at(0).weight, 3.0); // everything but the id is the proposal's
    }

    void unrelatedRewrite_getsNoIds() {
        const QList<CriterionRecord> previous{
            {0,
             QStringLiteral("c1"),
             QStringLiteral("Cites at least two peer-reviewed sources."),
             1,
             {},
             {}}};
        const QList<CriterionDraft> proposed{
            {{}, QStringLiteral("Uses a friendly, encouraging tone."), 1, {}, {}}};
        QCOMPARE(ids(rubric::assignStableIds(previous, proposed)), QStringList{QString()});
    }

    void duplicateTexts_matchOneToOne() {
        const QList<CriterionRecord> previous{
            {0, QStringLiteral("c7"), QStringLiteral("Is concise."), 1, {}, {}}};
        const QList<CriterionDraft> proposed{{{}, QStringLiteral("Is concise."), 1, {}, {}},
                                             {{}, QStringLiteral("Is concise."), 2, {}, {}}};
        QCOMPARE(ids(rubric::assignStableIds(previous, proposed)),
                 (QStringList{QStringLiteral("c7"), QString()}));
    }
};

QTEST_GUILESS_MAIN(RubricVersions)
#include "tst_rubricversions.moc"
