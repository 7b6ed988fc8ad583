// The rubric-free panel check of a step's top-rewarded responses, against the local LLM test
// server. Served rewards are logged at two steps of a small judged project (labelproject.h)
// whose response texts are given word counts on purpose: the server's pairwise oracle prefers
// the response with more words (a tie goes to the one shown first, so both orders make it a
// tie). Every expectation is computed here on its own: the top responses and their contrasts
// with plain SQL, the unserved contrast's reward from the project's judge rule, the panel's
// preference and the suspect flags from the word counts. Pairs answered before are reused
// without a call (the server's request counter and the preferences table prove it), and the
// panel never sees the rubric (the cached requests hold no criterion).
#include "analytics/tophackcheck.h"
#include "analytics/tophackpairs.h"
#include "labelproject.h"
#include "llm/llmscheduler.h"
#include "llm/providerregistry.h"
#include "serve/servedrewardlog.h"
#include "serverprocess.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTest>

#include <map>

using namespace rs;

namespace {

qint64 plainWords(const QString &s) {
    return s.split(QLatin1Char(' '), Qt::SkipEmptyParts).size();
}

/// What the check should find for one top response, computed by the test alone.
struct WantedPair final {
    qint64 servedId = 0;
    qint64 promptId = 0;
    qint64 top = 0; ///< response id; 0 when not stored
    double topReward = 0;
    qint64 contrast = 0; ///< 0: skipped
    double contrastReward = 0;
    QString source;
};

} // namespace

class TopHackCheckTest final : public QObject {
    Q_OBJECT

    std::unique_ptr<test::LabelProject> m_project;
    test::ServerProcess m_server;
    std::map<qint64, qint64> m_words;       ///< response id → word count
    std::map<qint64, qint64> m_promptOf;    ///< response id → prompt id
    std::vector<qint64> m_a, m_b;           ///< the responses of prompt 1 and 2, by id
    std::map<qint64, qint64> m_headVersion; ///< prompt id → rubric head version

    std::vector<llm::ProviderConfig> panel() const {
        llm::ProviderConfig a;
        a.name = QStringLiteral("pw-a");
        a.baseUrl = m_server.baseUrl() + QStringLiteral("/v1");
        a.model = QStringLiteral("rs-test-pairwise");
        a.maxConcurrency = 4;
        a.timeoutMs = 5000;
        llm::ProviderConfig b = a;
        b.name = QStringLiteral("pw-b");
        b.model = QStringLiteral("rs-test-pairwise-b");
        return {a, b};
    }

    qint64 serverCalls() const {
        return m_server.stats().value(QStringLiteral("model_requests")).toInteger(-1);
    }

    /// labelproject.h's judge: response r meets criterion c (1-based, weights 1, 1, 2) when
    /// (r + c) % 3 != 0; the reward is the weighted share met.
    double ruleReward(qint64 r) const {
        const double weights[3] = {1, 1, 2};
        double met = 0;
        for (int c = 1; c <= 3; ++c)
            met += m_project->judge(int(r), c) ? weights[c - 1] : 0;
        return met / 4;
    }

    /// The step's top K and their contrasts, from the log with plain SQL.
    std::vector<WantedPair> expectedPairs(qint64 step, int k) {
        auto db = test::readOnly(m_project->path);
        std::vector<WantedPair> out;
        auto top =
            db.prepare("SELECT id, coalesce(response_id, 0), prompt_id, reward FROM served_rewards"
                       " WHERE step = ?1 AND status = 'ok' AND reward IS NOT NULL"
                       " ORDER BY reward DESC, id LIMIT ?2");
        top->bind(1, std::int64_t(step));
        top->bind(2, std::int64_t(k));
        (void)top->forEach([&] {
            out.push_back({top->columnInt(0), top->columnInt(2), top->columnInt(1),
                           top->columnDouble(3), 0, 0, QString()});
        });
        for (WantedPair &e : out) {
            if (e.top == 0)
                continue;
            const std::string others = " FROM served_rewards WHERE step = ?1 AND prompt_id = ?2"
                                       " AND status = 'ok' AND reward IS NOT NULL"
                                       " AND response_id IS NOT NULL AND response_id != ?3";
            auto median = db.prepare("SELECT response_id, reward" + others +
                                     " ORDER BY reward, id LIMIT 1 OFFSET (SELECT count(*) / 2" +
                                     others + ")");
            median->bind(1, std::int64_t(step));
            median->bind(2, std::int64_t(e.promptId));
            median->bind(3, std::int64_t(e.top));
            if (median->step().value()) {
                e.contrast = median->columnInt(0);
                e.contrastReward = median->columnDouble(1);
                e.source = QStringLiteral("median");
                continue;
            }
            auto unserved =
                db.prepare("SELECT id FROM responses WHERE prompt_id = ?1 AND id NOT IN"
                           " (SELECT response_id FROM served_rewards WHERE response_id IS NOT NULL)"
                           " ORDER BY id");
            unserved->bind(1, std::int64_t(e.promptId));
            (void)unserved->forEach([&] {
                const qint64 id = unserved->columnInt(0);
                if (e.contrast == 0 || ruleReward(id) > e.contrastReward) {
                    e.contrast = id;
                    e.contrastReward = ruleReward(id);
                    e.source = QStringLiteral("unserved");
                }
            });
        }
        return out;
    }

    /// The server's rule over both orders: more words wins in either position, so the
    /// preference for the top is 1 or 0; equal counts make each order pick its first: 0.5.
    double wordRule(qint64 top, qint64 contrast) const {
        const qint64 t = m_words.at(top), c = m_words.at(contrast);
        return t > c ? 1.0 : t < c ? 0.0 : 0.5;
    }

    void checkAgainstExpectation(const analytics::TopHackCheck &check, qint64 step, int k) {
        const std::vector<WantedPair> expected = expectedPairs(step, k);
        QCOMPARE(check.step, step);
        QCOMPARE(check.results.size(), expected.size());
        qint64 checked = 0, suspect = 0, skipped = 0;
        double sum = 0;
        for (std::size_t i = 0; i < expected.size(); ++i) {
            const WantedPair &e = expected[i];
            const analytics::TopHackResult &r = check.results[i];
            QCOMPARE(r.pair.servedId, e.servedId);
            QCOMPARE(r.pair.promptId, e.promptId);
            QCOMPARE(r.pair.topResponseId, e.top);
            QCOMPARE(r.pair.topReward, e.topReward);
            if (e.contrast == 0) {
                QVERIFY(!r.pair.planned());
                QVERIFY(!r.pair.skipReason.isEmpty());
                QVERIFY(!r.checked);
                ++skipped;
                continue;
            }
            QCOMPARE(analytics::contrastSourceName(r.pair.source), e.source);
            QCOMPARE(r.pair.contrastResponseId, e.contrast);
            QCOMPARE(r.pair.contrastReward, e.contrastReward);
            QVERIFY2(r.checked, qPrintable(r.error));
            const double want = wordRule(e.top, e.contrast);
            QCOMPARE(r.preferenceTop, want);
            QCOMPARE(r.suspect, want < 0.5);
            QCOMPARE(r.members.size(), std::size_t(2));
            QCOMPARE(r.members[0].model, QStringLiteral("rs-test-pairwise"));
            QCOMPARE(r.members[1].model, QStringLiteral("rs-test-pairwise-b"));
            for (const auto &m : r.members) {
                QCOMPARE(m.preferenceTop, want);
                QCOMPARE(m.agreed, want != 0.5); // equal counts: each order names its first
            }
            ++checked;
            suspect += want < 0.5;
            sum += want;
        }
        QCOMPARE(check.checked, checked);
        QCOMPARE(check.suspect, suspect);
        QCOMPARE(check.skipped, skipped);
        QCOMPARE(check.failed, 0);
        QVERIFY(check.winRate);
        QCOMPARE(*check.winRate, sum / double(checked));
    }

    Expected<analytics::TopHackCheck> run(std::optional<qint64> step, int k) {
        llm::LlmScheduler scheduler(llm::PriceTable(), m_project->store.get());
        analytics::TopHackCheckOptions o;
        o.step = step;
        o.topK = k;
        o.panel = panel();
        return analytics::runTopHackCheck(*m_project->store, scheduler, o);
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_server.start());
        m_project = test::labelProject();
        auto db = test::readOnly(m_project->path);
        auto st = db.prepare("SELECT id, prompt_id FROM responses ORDER BY prompt_id, id");
        QVERIFY(st->forEach([&] { m_promptOf[st->columnInt(0)] = st->columnInt(1); }));
        for (const auto &[id, prompt] : m_promptOf)
            (prompt == m_promptOf.begin()->second ? m_a : m_b).push_back(id);
        QCOMPARE(m_a.size(), std::size_t(6));
        QCOMPARE(m_b.size(), std::size_t(6));
        auto heads = db.prepare("SELECT prompt_id, head_version_id FROM rubrics");
        QVERIFY(heads->forEach([&] { m_headVersion[heads->columnInt(0)] = heads->columnInt(1); }));

        // Word counts chosen so that the pairs below agree, tie and disagree with the rubric.
        const qint64 wordsA[6] = {12, 6, 6, 3, 9, 4}, wordsB[6] = {5, 10, 2, 8, 7, 11};
        QString sql;
        for (int i = 0; i < 6; ++i)
            for (const auto &[id, words] : {std::pair{m_a[std::size_t(i)], wordsA[i]},
                                            std::pair{m_b[std::size_t(i)], wordsB[i]}}) {
                QStringList text;
                for (qint64 w = 0; w < words; ++w)
                    text << QStringLiteral("r%1w%2").arg(id).arg(
                        w); // distinct texts, even at equal counts
                m_words[id] = plainWords(text.join(QLatin1Char(' ')));
                sql +=
                    QStringLiteral("UPDATE responses SET text = '%1', length = %2 WHERE id = %3;")
                        .arg(text.join(QLatin1Char(' ')))
                        .arg(text.join(QLatin1Char(' ')).size())
                        .arg(id);
            }
        QVERIFY(test::sql(*m_project->store, sql));

        // Step 10: five served answers to prompt 1, one to prompt 2 (its contrast must come from
        // the unserved ones). Step 20: one to prompt 1 (every other answer of it was served:
        // no contrast), three to prompt 2 whose top two face each other, and one whose text
        // was not stored.
        serve::ServedRewardLog log(*m_project->store);
        auto row = [&](qint64 step, qint64 response, qint64 prompt, double reward) {
            serve::ServedReward r;
            r.step = step;
            r.endpoint = "get_reward";
            r.promptId = prompt;
            r.responseId = response;
            r.rubricVersion = m_headVersion.at(prompt);
            r.runId = 1;
            r.status = "ok";
            r.reward = reward;
            return r;
        };
        const qint64 p1 = m_promptOf.at(m_a[0]), p2 = m_promptOf.at(m_b[0]);
        serve::ServedReward failed;
        failed.step = 10;
        failed.endpoint = "get_reward";
        failed.status = "failed";
        log.record({row(10, m_a[0], p1, 0.9), row(10, m_a[1], p1, 0.7), row(10, m_a[2], p1, 0.4),
                    row(10, m_a[3], p1, 0.1), row(10, m_a[5], p1, 0.05), row(10, m_b[0], p2, 0.95),
                    failed});
        log.record({row(20, m_a[4], p1, 1.0), row(20, 0, p2, 0.999), row(20, m_b[1], p2, 0.99),
                    row(20, m_b[2], p2, 0.2), row(20, m_b[0], p2, 0.5)});
        log.flush();
    }

    void plan_pairsTopResponsesWithMedianOrUnservedContrast() {
        auto db = test::readOnly(m_project->path);
        auto plan = analytics::planTopHackPairs(db, 10, 4);
        QVERIFY2(plan, qPrintable(plan ? QString() : plan.error().message));
        const std::vector<WantedPair> want = expectedPairs(10, 4);
        QCOMPARE(plan->pairs.size(), want.size());
        for (std::size_t i = 0; i < want.size(); ++i) {
            QCOMPARE(plan->pairs[i].topResponseId, want[i].top);
            QCOMPARE(plan->pairs[i].contrastResponseId, want[i].contrast);
        }
        // The design this test relies on: both kinds of contrast occur.
        QCOMPARE(analytics::contrastSourceName(plan->pairs[0].source), QStringLiteral("unserved"));
        QCOMPARE(analytics::contrastSourceName(plan->pairs[1].source), QStringLiteral("median"));

        auto latest = analytics::planTopHackPairs(db, std::nullopt, 4);
        QVERIFY(latest);
        QCOMPARE(latest->step, 20);
        QVERIFY(!analytics::planTopHackPairs(db, 15, 4)); // nothing was served at step 15
        QVERIFY(!analytics::planTopHackPairs(db, 10, 0));
    }

    void check_flagsTopResponsesThePanelRanksBelowTheirContrast() {
        auto db = test::readOnly(m_project->path);
        const qint64 callsBefore = serverCalls();
        const qint64 prefsBefore = db.scalar("SELECT count(*) FROM preferences").value();
        auto got = run(10, 4);
        QVERIFY2(got, qPrintable(got ? QString() : got.error().message));
        checkAgainstExpectation(got.value(), 10, 4);
        // The design: one suspect, one agreement, ties, and the pair (a1, a2) met twice.
        QVERIFY(got->suspect >= 1);
        QVERIFY(got->checked > got->suspect);
        // The fourth top response's contrast is the second's: that pair is asked once and its
        // stored answer turned round for the other, so 3 pairs × 2 models × 2 orders go out.
        QCOMPARE(got->reused, 1);
        QVERIFY(got->results[3].reused);
        QCOMPARE(serverCalls() - callsBefore, 3 * 2 * 2);
        QCOMPARE(db.scalar("SELECT count(*) FROM preferences WHERE source = 'oracle'").value() -
                     prefsBefore,
                 3);

        // Rubric-free: no request the panel saw names a criterion of the rubric.
        auto criteria = db.prepare("SELECT DISTINCT text FROM criteria");
        QStringList texts;
        QVERIFY(criteria->forEach([&] { texts << criteria->columnText(0); }));
        QCOMPARE(texts.size(), 3);
        auto requests =
            db.prepare("SELECT request FROM llm_cache WHERE request LIKE '%[role:pairwise]%'");
        int seen = 0;
        QVERIFY(requests->forEach([&] {
            ++seen;
            for (const QString &t : texts)
                QVERIFY2(!requests->columnText(0).contains(t), qPrintable(t));
        }));
        QCOMPARE(seen, 3 * 2 * 2);
    }

    void check_reusesStoredAnswersWithoutAsking() {
        QVERIFY(run(10, 4)); // answers stored (a no-op when the test above ran first)
        auto db = test::readOnly(m_project->path);
        const qint64 callsBefore = serverCalls();
        const qint64 prefsBefore = db.scalar("SELECT count(*) FROM preferences").value();
        auto again = run(10, 4);
        QVERIFY(again);
        checkAgainstExpectation(again.value(), 10, 4);
        QCOMPARE(again->reused, again->checked);
        QCOMPARE(serverCalls(), callsBefore);
        QCOMPARE(db.scalar("SELECT count(*) FROM preferences").value(), prefsBefore);

        // Another panel is another question: a single model has not answered these pairs.
        llm::LlmScheduler scheduler(llm::PriceTable(), m_project->store.get());
        analytics::TopHackCheckOptions single;
        single.step = 10;
        single.topK = 4;
        single.panel = {panel().front()};
        auto one = analytics::runTopHackCheck(*m_project->store, scheduler, single);
        QVERIFY(one);
        QCOMPARE(one->reused, 1); // only the pair met twice within the run
        QCOMPARE(one->checked, again->checked);
        for (std::size_t i = 0; i < one->results.size(); ++i)
            QCOMPARE(one->results[i].preferenceTop, again->results[i].preferenceTop);
    }

    void latestStep_skipsWhatItCannotPairAndReusesTheFlippedPair() {
        auto got = run(std::nullopt, 4);
        QVERIFY2(got, qPrintable(got ? QString() : got.error().message));
        checkAgainstExpectation(got.value(), 20, 4);
        QCOMPARE(got->skipped, 2); // no contrast for prompt 1; a response without stored text
        QVERIFY(got->results[0].pair.skipReason.contains(QLatin1String("no never-served one")));
        QVERIFY(got->results[1].pair.skipReason.contains(QLatin1String("not stored")));
        // b1 against b0 and b0 against b1: one question, the second read back turned round.
        QCOMPARE(got->reused, 1);
        QCOMPARE(got->results[2].preferenceTop, 1 - got->results[3].preferenceTop);
        QCOMPARE(got->suspect, 1);
    }

    void cancel_stopsBetweenPairs() {
        llm::LlmScheduler scheduler(llm::PriceTable(), m_project->store.get());
        analytics::TopHackCheckOptions o;
        o.step = 10;
        o.topK = 4;
        o.panel = panel();
        std::vector<std::pair<qint64, qint64>> seen;
        auto got = analytics::runTopHackCheck(*m_project->store, scheduler, o,
                                              [&](qint64 done, qint64 total) {
                                                  seen.emplace_back(done, total);
                                                  return done < 1;
                                              });
        QVERIFY(got);
        QVERIFY(got->cancelled);
        QCOMPARE(got->checked, 1);
        QCOMPARE(got->results.size(), std::size_t(4)); // the unasked ones are listed, unchecked
        QCOMPARE(seen.size(), std::size_t(2));
        QCOMPARE(seen.back(), std::make_pair(qint64(1), qint64(4)));
    }

    void json_carriesPairsAndSummary() {
        auto got = run(10, 4);
        QVERIFY(got);
        const nlohmann::json j = analytics::toJson(got.value());
        QCOMPARE(j["step"].get<qint64>(), 10);
        QCOMPARE(j["suspect"].get<qint64>(), got->suspect);
        QCOMPARE(j["win_rate"].get<double>(), *got->winRate);
        QCOMPARE(j["pairs"].size(), std::size_t(got->checked));
        for (std::size_t i = 0; i < j["pairs"].size(); ++i) {
            const auto &p = j["pairs"][i];
            const analytics::TopHackResult &r = got->results[i];
            QCOMPARE(p["prompt_id"].get<qint64>(), r.pair.promptId);
            QCOMPARE(p["top_response_id"].get<qint64>(), r.pair.topResponseId);
            QCOMPARE(p["top_reward"].get<double>(), r.pair.topReward);
            QCOMPARE(p["contrast_response_id"].get<qint64>(), r.pair.contrastResponseId);
            QCOMPARE(p["contrast_reward"].get<double>(), r.pair.contrastReward);
            QCOMPARE(p["panel_preference_top"].get<double>(), r.preferenceTop);
            QCOMPARE(p["suspect"].get<bool>(), r.suspect);
            QCOMPARE(p["members"].size(), std::size_t(2));
            QCOMPARE(p["members"][1]["model"].get<std::string>(),
                     std::string("rs-test-pairwise-b"));
        }
    }

    void cli_printsTheCheckAndReusesAnswers() {
        // The CLI's providers.json below a temporary config folder.
        QTemporaryDir home;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char *var :
             {"XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"})
            env.insert(QString::fromLatin1(var), home.filePath(QString::fromLatin1(var).toLower()));
        llm::ProviderRegistry registry;
        for (const llm::ProviderConfig &p : panel())
            registry.upsert(p);
        const QString providers = env.value(QStringLiteral("XDG_CONFIG_HOME")) +
                                  QStringLiteral("/RubricStudio/Rubric Studio/providers.json");
        QVERIFY(QDir().mkpath(QFileInfo(providers).absolutePath()));
        QVERIFY(registry.save(providers));
        auto cli = [&](const QStringList &args, QByteArray *out) {
            QProcess p;
            p.setProcessEnvironment(env);
            p.start(QStringLiteral(RS_CLI), args);
            if (!p.waitForFinished(60000))
                return -1;
            if (out)
                *out = p.readAllStandardOutput();
            return p.exitCode();
        };

        QVERIFY(run(10, 4)); // every pair answered: the CLI only reads them back
        const qint64 callsBefore = serverCalls();
        QByteArray printed;
        QCOMPARE(cli({QStringLiteral("training"), m_project->path, QStringLiteral("--panel-check"),
                      QStringLiteral("pw-a,pw-b"), QStringLiteral("--step"), QStringLiteral("10"),
                      QStringLiteral("--top"), QStringLiteral("4"), QStringLiteral("--json")},
                     &printed),
                 0);
        QCOMPARE(serverCalls(), callsBefore);
        const auto j = nlohmann::json::parse(printed.toStdString(), nullptr, false);
        QVERIFY2(j.is_object(), printed.constData());
        auto core = run(10, 4);
        QVERIFY(core);
        QCOMPARE(j["step"].get<qint64>(), 10);
        QCOMPARE(j["suspect"].get<qint64>(), core->suspect);
        QCOMPARE(j["win_rate"].get<double>(), *core->winRate);
        QCOMPARE(j["reused"].get<qint64>(), core->checked);
        QCOMPARE(j["pairs"].size(), std::size_t(core->checked));
        for (std::size_t i = 0; i < j["pairs"].size(); ++i) {
            QCOMPARE(j["pairs"][i]["contrast_response_id"].get<qint64>(),
                     core->results[i].pair.contrastResponseId);
            QCOMPARE(j["pairs"][i]["suspect"].get<bool>(), core->results[i].suspect);
        }

        // The text form names the suspects; the latest step is the default.
        QCOMPARE(cli({QStringLiteral("training"), m_project->path, QStringLiteral("--panel-check"),
                      QStringLiteral("pw-a,pw-b"), QStringLiteral("--top"), QStringLiteral("4")},
                     &printed),
                 0);
        QVERIFY2(printed.contains("step 20") && printed.contains("SUSPECT"), printed.constData());
        // Usage errors: --step without --panel-check, an unknown provider.
        QCOMPARE(cli({QStringLiteral("training"), m_project->path, QStringLiteral("--step"),
                      QStringLiteral("10")},
                     nullptr),
                 2);
        QVERIFY(cli({QStringLiteral("training"), m_project->path, QStringLiteral("--panel-check"),
                     QStringLiteral("pw-a,nobody")},
                    nullptr) != 0);
    }

    // Last: it removes verdicts the tests above rank by.
    void unservedContrast_needsCompleteVerdicts() {
        QVERIFY(test::sql(
            *m_project->store,
            QStringLiteral(
                "DELETE FROM verdicts WHERE stable_id = 'c2' AND response_id IN (%1, %2, %3)")
                .arg(m_b[3])
                .arg(m_b[4])
                .arg(m_b[5])));
        auto db = test::readOnly(m_project->path);
        auto plan = analytics::planTopHackPairs(db, 10, 4);
        QVERIFY(plan);
        QCOMPARE(plan->pairs[0].topResponseId, m_b[0]);
        QVERIFY(!plan->pairs[0].planned());
        QVERIFY2(plan->pairs[0].skipReason.contains(
                     QLatin1String("none of the prompt's 3 never-served responses is "
                                   "fully judged in run 1")),
                 qPrintable(plan->pairs[0].skipReason));
        QVERIFY(plan->pairs[1].planned()); // the medians do not depend on verdicts
    }
};

QTEST_GUILESS_MAIN(TopHackCheckTest)
#include "tst_tophackcheck.moc"
