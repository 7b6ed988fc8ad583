// Rewriting dead criteria through the proposer (the local test server) on real AlpacaEval
// answers: a proposer that cannot be reached fails each prompt without stopping the job; the
// saved versions keep the other criteria in place and put the server's answer (predicted from
// its rule) where the first dead criterion was, with origin prune-rewrite; checks are never
// sent; the same selection again asks and saves nothing new. And the template's text.
#include "authoring/proposertemplate.h"
#include "authoring/prunerewriterunner.h"
#include "pruneproject.h"

#include <QJsonArray>

using namespace rs;
using test::lines;
using test::listed;
using test::readOnly;

class PruneRewrite final : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void rewriteThroughTheProposer() {
        test::ServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        auto store =
            test::pruneProject(test::Corpus::Fixture, m_dir, QStringLiteral("rewrite"), server);
        auto db = readOnly(*store);
        const auto report = listed(db, 5);
        authoring::PruneRewriteConfig config;
        config.providers.proposer = test::serverProvider(server, QStringLiteral("test-proposer"));
        config.criteria = QList<rubric::DeadCriterion>(report.dead.begin(), report.dead.end());
        config.runId = report.runId;
        config.top = report.top;
        QMap<qint64, RubricRecord> before;
        for (const rubric::DeadCriterion &d : report.dead)
            before.insert(d.promptId, rubric::loadHead(db, d.promptId).value());

        // A proposer that cannot be reached fails each prompt: reported, not fatal, nothing saved.
        llm::LlmScheduler scheduler(llm::PriceTable(), store.get());
        authoring::PruneRewriteConfig offline = config;
        offline.providers.proposer.baseUrl = QStringLiteral("http://127.0.0.1:1/v1");
        offline.providers.proposer.maxRetries = 0;
        const qint64 versionsBefore = db.scalar("SELECT count(*) FROM rubric_versions").value();
        auto failed = authoring::PruneRewriteRunner(*store, scheduler).run(offline, {});
        QVERIFY(failed.ok());
        QVERIFY(failed->planned > 0);
        QCOMPARE(failed->failed, failed->planned);
        QVERIFY(failed->failures.front().startsWith(QStringLiteral("prompt ")));
        QCOMPARE(db.scalar("SELECT count(*) FROM rubric_versions").value(), versionsBefore);

        auto done = authoring::PruneRewriteRunner(*store, scheduler).run(config, {});
        QVERIFY2(done.ok(), qPrintable(done.ok() ? QString() : done.error().toString()));
        QCOMPARE(done->failed, 0);
        QCOMPARE(done->checks, qint64(report.checks)); // checked by code: never sent, left in place

        qint64 rewritten = 0;
        for (auto it = before.begin(); it != before.end(); ++it) {
            // The server's answer follows from the prompt alone (no A/B pair in the request).
            QSet<QString> dead;
            for (const rubric::DeadCriterion &d : report.dead)
                if (d.promptId == it.key() && !d.check)
                    dead << d.stableId;
            auto st = db.prepare("SELECT text FROM prompts WHERE id = ?1");
            st->bind(1, std::int64_t(it.key()));
            QVERIFY(st->step().value());
            QStringList kept, fresh, want;
            for (const CriterionRecord &c : it.value().criteria)
                if (!dead.contains(c.stableId))
                    kept << c.text.toCaseFolded();
            for (const QString &line : test::serverProposal(st->columnText(0)))
                if (!kept.contains(line.section(QLatin1Char('|'), 0, 0).toCaseFolded()))
                    fresh << line;
            bool placed = false;
            for (const CriterionRecord &c : it.value().criteria) {
                if (!dead.contains(c.stableId)) {
                    want << QStringLiteral("%1|%2").arg(c.text).arg(c.weight);
                } else if (!placed) {
                    want << fresh; // where the first dead criterion was
                    placed = true;
                }
            }
            const RubricRecord head = rubric::loadHead(db, it.key()).value();
            QStringList sortedWant = want, sortedOld = lines(it.value().criteria);
            sortedWant.sort();
            sortedOld.sort();
            if (dead.isEmpty() || sortedWant == sortedOld) {
                QCOMPARE(head.versionId, it.value().versionId); // nothing to do, or no change
                continue;
            }
            ++rewritten;
            QCOMPARE(head.origin, QStringLiteral("prune-rewrite"));
            QCOMPARE(lines(head.criteria), want);
            for (const CriterionRecord &c : head.criteria) // kept criteria keep their ids
                for (const CriterionRecord &old : it.value().criteria)
                    if (old.text == c.text && !dead.contains(old.stableId))
                        QCOMPARE(c.stableId, old.stableId);
            const auto detail = rubric::listVersions(db, it.key())->last().detail;
            QCOMPARE(detail.value(QStringLiteral("template_version")).toString(),
                     QStringLiteral("prune-rewrite-v2"));
            QSet<QString> asked;
            for (const auto &v : detail.value(QStringLiteral("rewritten")).toArray())
                asked << v.toObject().value(QStringLiteral("id")).toString();
            QCOMPARE(asked, dead);
        }
        QCOMPARE(done->rewritten, rewritten);
        QVERIFY(rewritten > 0);

        // Run again with the same selection: everything is done, nothing is asked or saved.
        auto again = authoring::PruneRewriteRunner(*store, scheduler).run(config, {});
        QVERIFY(again.ok());
        QCOMPARE(again->rewritten, 0);
        QCOMPARE(again->skipped, done->skipped + rewritten);
        QCOMPARE(again->unchanged, done->unchanged); // given back as they were: still no version
    }

    void templateShowsDeadCriteriaAndTopAnswers() {
        const authoring::ProposerTemplate tpl(authoring::ProposerTemplate::Kind::PruneRewrite);
        QCOMPARE(tpl.version(), QStringLiteral("prune-rewrite-v2"));
        const auto r =
            tpl.renderPruneRewrite(QStringLiteral("Name a fruit."),
                                   {{QStringLiteral("c1"), QStringLiteral("Is short."), 1}},
                                   {{{QStringLiteral("c1"), QStringLiteral("Is short."), 1},
                                     QStringLiteral("all 3 pass")}},
                                   {QStringLiteral("Apple."), QStringLiteral("Pear.")});
        QVERIFY(r.system.contains(QStringLiteral("[role:rewrite]")));
        const QString user = r.messages.front().content;
        QVERIFY(user.contains(QStringLiteral("<<<PROMPT\nName a fruit.\nPROMPT>>>")));
        QVERIFY(user.contains(
            QStringLiteral("<<<DEAD\nc1 (weight 1): Is short. -- dead: all 3 pass\nDEAD>>>")));
        QVERIFY(user.contains(QStringLiteral("Top answer 2 of 2:\n<<<TOP\nPear.\nTOP>>>")));
    }
};

QTEST_GUILESS_MAIN(PruneRewrite)
#include "tst_prunerewrite.moc"
