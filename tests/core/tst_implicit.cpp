// Implicit aggregation (issue 16, as in RaR): a rubric whose aggregation is "implicit" is graded
// by one holistic 1-10 judge score per response and grading, with its criteria as guidance;
// its veto criteria are still judged and its checks still run locally. On real AlpacaEval
// responses judged by the local test server, every reward is recomputed here by plain
// arithmetic from the stored scores and verdicts, and scores, the tally's per-grading rewards,
// metrics, `scores --json`, export-verdicts, the reward server and the pack's reward.py (from
// recorded answers and live) must all give it. Also: cache keys of holistic calls differ from
// every criterion call's, a re-run sends nothing, malformed scores (11, "seven") fail their
// item only, and the native pack carries the aggregation.
#include "analytics/metricdata.h"
#include "datasupport.h"
#include "judge/holistictemplate.h"
#include "judge/judgeanswer.h"
#include "judge/judgerunner.h"
#include "judge/scorereader.h"
#include "judge/scoring.h"
#include "judge/verdictgrid.h"
#include "judge/verdicttally.h"
#include "llm/llmcache.h"
#include "llm/llmscheduler.h"
#include "pack/packexporter.h"
#include "pack/packimporter.h"
#include "serve/rewardservice.h"
#include "serve/servemetrics.h"
#include "serverprocess.h"
#include "testsupport.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>

#include <nlohmann/json.hpp>

#include <cmath>
#include <future>
#include <map>
#include <numeric>
#include <set>

using namespace rs;
using nlohmann::json;

namespace {

const QString kGuideA = QStringLiteral("The response answers the question directly.");
const QString kGuideB = QStringLiteral("The response is well organised and easy to follow.");
const QString kVetoYou = QStringLiteral("The response mentions \"you\".");
const QString kCheck40 = QStringLiteral("The response has at least 40 words.");
const QString kNoSorry = QStringLiteral("The response never apologises.");

// ---- plain re-implementations ---------------------------------------------------------------

// Python's str.split() count, as the test server counts words (tests/llmserver/README.md).
qint64 plainWords(const QString &t) {
    static const QRegularExpression re(QStringLiteral("[^\\s\\x{1c}-\\x{1f}\\x{85}]+"),
                                       QRegularExpression::UseUnicodePropertiesOption);
    qint64 n = 0;
    for (auto it = re.globalMatch(t); it.hasNext(); it.next())
        ++n;
    return n;
}

/// The test server's holistic rule.
int serverScore(const QString &response) {
    return int(1 + plainWords(response) % 10);
}

/// (mean − 1) / 9 as one exact fraction: (Σs − n) / 9n.
double plainBase(const std::vector<int> &scores) {
    if (scores.empty())
        return 0;
    long long sum = 0;
    for (int s : scores)
        sum += s;
    const long long n = (long long)scores.size();
    return double(sum - n) / double(9 * n);
}

struct Expect {
    double reward = 0;
    std::optional<double> holistic; ///< mean score
    std::vector<double> byGrading;
};

QByteArray readAll(const QString &path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

std::vector<json> jsonLines(const QByteArray &bytes) {
    std::vector<json> out;
    for (const QByteArray &line : bytes.split('\n'))
        if (!line.trimmed().isEmpty())
            out.push_back(json::parse(line.toStdString()));
    return out;
}

QString python() {
    return QStandardPaths::findExecutable(QStringLiteral("python3"));
}

/// Runs the CLI; its stdout, or a failed QVERIFY.
QByteArray cli(const QStringList &args) {
    QProcess p;
    p.start(QStringLiteral(RS_CLI), args);
    if (!p.waitForFinished(120000) || p.exitCode() != 0)
        qWarning("cli %s: %s", qPrintable(args.join(QLatin1Char(' '))),
                 p.readAllStandardError().constData());
    return p.exitCode() == 0 ? p.readAllStandardOutput() : QByteArray();
}

} // namespace

class TestImplicit final : public QObject {
    Q_OBJECT

    struct Fixture {
        QTemporaryDir dir;
        std::unique_ptr<store::ProjectStore> store;
        QString path;
        qint64 p0 = 0, p1 = 0, p2 = 0; ///< implicit + judged veto, implicit + shaping, plain
        QHash<qint64, QString> texts;  ///< response id → text
        QHash<qint64, qint64> promptOf;
        qint64 bad11 = 0, badSeven = 0;
    };

    /// Three AlpacaEval prompts with the answers of the first five models, and a few
    /// synthetic answers that decide the vetoes and the malformed scores.
    static std::unique_ptr<Fixture> project(test::Corpus corpus) {
        auto f = std::make_unique<Fixture>();
        f->store = test::newProject(f->dir);
        f->path = f->store->path();
        QJsonArray records;
        QStringList prompts;
        const QStringList files = test::alpacaModelFiles(corpus).mid(0, 5);
        for (const QString &file : files) {
            const QJsonArray rows = QJsonDocument::fromJson(readAll(file)).array();
            if (prompts.isEmpty())
                for (int i = 0; i < 3 && i < rows.size(); ++i)
                    prompts << rows[i].toObject().value(QStringLiteral("instruction")).toString();
            for (const QJsonValue &v : rows)
                if (prompts.contains(v.toObject().value(QStringLiteral("instruction")).toString()))
                    records.append(v);
        }
        const auto synthetic = [&](int prompt, const QString &generator, const QString &text) {
            records.append(QJsonObject{{QStringLiteral("instruction"), prompts[prompt]},
                                       {QStringLiteral("output"), text},
                                       {QStringLiteral("generator"), generator}});
        };
        synthetic(0, QStringLiteral("synthetic-novocative"),
                  QStringLiteral("Paris is the answer."));
        synthetic(0, QStringLiteral("synthetic-eleven"),
                  QStringLiteral("[holistic:11] Here is what you asked for."));
        synthetic(0, QStringLiteral("synthetic-seven"),
                  QStringLiteral("[holistic:seven] You will like this one."));
        synthetic(1, QStringLiteral("synthetic-sorry"),
                  QStringLiteral("Sorry, I cannot help with that request today."));
        import::ImportConfig c;
        c.files = {test::writeFile(f->dir, QStringLiteral("answers.json"),
                                   QJsonDocument(records).toJson(QJsonDocument::Compact))};
        if (!import::importFiles(*f->store, c))
            qFatal("answers import failed");

        const auto rubric = [](const QString &prompt, const json &aggregation,
                               const json &rubrics) -> QByteArray { // not a QStringBuilder
            json r{{"prompt", prompt.toStdString()}, {"rubrics", rubrics}};
            if (!aggregation.is_null())
                r["aggregation"] = aggregation;
            return QByteArray::fromStdString(r.dump()) + '\n';
        };
        const QByteArray rubrics =
            rubric(
                prompts[0], {{"type", "implicit"}, {"veto_cap", 0.3}},
                json::array({{{"criterion", kGuideA.toStdString()}, {"weight", 3}},
                             {{"criterion", kGuideB.toStdString()}, {"weight", 2}},
                             {{"criterion", kVetoYou.toStdString()}, {"weight", 1}, {"veto", true}},
                             {{"criterion", kCheck40.toStdString()},
                              {"weight", 1},
                              {"check", {{"type", "min_words"}, {"value", 40}}}}})) +
            rubric(prompts[1],
                   {{"type", "implicit"},
                    {"veto_cap", 0.2},
                    {"shaping", {{"type", "power"}, {"exponent", 2}}}},
                   json::array({{{"criterion", kGuideA.toStdString()}, {"weight", 2.5}},
                                {{"criterion", kNoSorry.toStdString()},
                                 {"weight", 1},
                                 {"veto", true},
                                 {"check", {{"type", "not_contains"}, {"phrases", {"sorry"}}}}}})) +
            rubric(prompts[2], nullptr,
                   json::array({{{"criterion", kVetoYou.toStdString()}, {"weight", 2}},
                                {{"criterion", "The response is at least 50 words long."},
                                 {"weight", 1}}}));
        c.files = {test::writeFile(f->dir, QStringLiteral("rubrics.jsonl"), rubrics)};
        c.format = import::Format::Rubrics;
        if (auto r = import::importFiles(*f->store, c); !r)
            qFatal("rubric import failed: %s", qPrintable(r.error().toString()));

        auto db = store::Database::open(f->path, store::Database::Mode::ReadOnly);
        auto st =
            db->prepare("SELECT r.id, r.prompt_id, r.text, r.generator, p.text FROM responses r"
                        " JOIN prompts p ON p.id = r.prompt_id");
        while (st->step().value()) {
            const qint64 id = st->columnInt(0);
            f->texts.insert(id, st->columnText(2));
            f->promptOf.insert(id, st->columnInt(1));
            const int k = int(prompts.indexOf(st->columnText(4)));
            (k == 0 ? f->p0 : k == 1 ? f->p1 : f->p2) = st->columnInt(1);
            if (st->columnText(3) == QLatin1String("synthetic-eleven"))
                f->bad11 = id;
            if (st->columnText(3) == QLatin1String("synthetic-seven"))
                f->badSeven = id;
        }
        return f;
    }

    static judge::JudgeConfig config(const test::ServerProcess &server) {
        judge::JudgeConfig c;
        c.provider.name = QStringLiteral("local");
        c.provider.baseUrl = server.baseUrl() + QStringLiteral("/v1");
        c.provider.model = QStringLiteral("rs-test-judge");
        c.provider.timeoutMs = 5000;
        c.mode = judge::JudgeMode::Joint;
        c.gradings = 2;
        return c;
    }

    /// Every response's reward from the stored scores and verdicts alone, by hand.
    static QHash<qint64, Expect> expected(const Fixture &f, qint64 runId) {
        auto db = store::Database::open(f.path, store::Database::Mode::ReadOnly);
        QHash<qint64, std::map<int, int>> scores; // response → grading → score
        auto hs = db->prepare("SELECT response_id, grading, score FROM holistic_scores"
                              " WHERE run_id = ?1 AND status = 'ok'");
        hs->bind(1, std::int64_t(runId));
        while (hs->step().value())
            scores[hs->columnInt(0)][int(hs->columnInt(1))] = int(hs->columnInt(2));
        // Judged verdicts by response and criterion text: the yes and no votes.
        QHash<QPair<qint64, QString>, QPair<int, int>> votes;
        auto vs = db->prepare("SELECT v.response_id, c.text, v.verdict FROM verdicts v"
                              " JOIN responses r ON r.id = v.response_id"
                              " JOIN rubrics b ON b.prompt_id = r.prompt_id"
                              " JOIN criteria c ON c.version_id = b.head_version_id"
                              " AND c.stable_id = v.stable_id WHERE v.run_id = ?1");
        vs->bind(1, std::int64_t(runId));
        while (vs->step().value()) {
            auto &v = votes[{vs->columnInt(0), vs->columnText(1)}];
            (vs->columnText(2) == QLatin1String("yes") ? v.first : v.second) += 1;
        }
        const auto met = [&](qint64 id, const QString &text) {
            const auto v = votes.value({id, text});
            return v.first > v.second; // a tie or nothing counts as no
        };
        QHash<qint64, Expect> out;
        for (auto it = f.texts.cbegin(); it != f.texts.cend(); ++it) {
            const qint64 id = it.key();
            const qint64 prompt = f.promptOf.value(id);
            Expect e;
            if (prompt == f.p2) {
                const double r =
                    (2.0 * met(id, kVetoYou) +
                     met(id, QStringLiteral("The response is at least 50 words long."))) /
                    3.0;
                e.reward = r;
                out.insert(id, e);
                continue;
            }
            const std::map<int, int> byGrading = scores.value(id);
            std::vector<int> usable;
            for (const auto &[g, s] : byGrading)
                usable.push_back(s);
            if (!usable.empty())
                e.holistic = double(std::accumulate(usable.begin(), usable.end(), 0)) /
                             double(usable.size());
            const auto finish = [&](double base) {
                if (prompt == f.p0)
                    return met(id, kVetoYou) ? base : std::min(base, 0.3);
                const double shaped = std::pow(std::clamp(base, 0.0, 1.0), 2.0);
                return it.value().contains(QLatin1String("sorry"), Qt::CaseInsensitive)
                           ? std::min(shaped, 0.2)
                           : shaped;
            };
            e.reward = finish(plainBase(usable));
            for (int g = 0; g < 2; ++g) {
                const auto s = byGrading.find(g);
                e.byGrading.push_back(finish(plainBase(
                    s == byGrading.end() ? std::vector<int>{} : std::vector<int>{s->second})));
            }
            out.insert(id, e);
        }
        return out;
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void holisticBase_handArithmetic() {
        QCOMPARE(judge::holisticBase({}), 0.0);
        QCOMPARE(judge::holisticBase({1}), 0.0);
        QCOMPARE(judge::holisticBase({10}), 1.0);
        QVERIFY(std::fabs(judge::holisticBase({6, 7, 8}) - 6.0 / 9.0) < 1e-15);
        QVERIFY(std::fabs(judge::holisticBase({3, 4}) - 2.5 / 9.0) < 1e-15);
        judge::AggregationSpec spec;
        spec.type = judge::Aggregation::Implicit;
        spec.vetoCap = 0.25;
        spec.shaping = judge::Shaping::Power;
        spec.exponent = 2;
        const std::vector<judge::CriterionOutcome> vetoFails{{1, std::nullopt, false},
                                                             {1, false, true}};
        const std::vector<judge::CriterionOutcome> vetoHolds{{1, std::nullopt, false},
                                                             {1, true, true}};
        // (8 - 1) / 9 = 7/9, squared 49/81, capped at 0.25 when the veto fails.
        QVERIFY(
            std::fabs(judge::holisticReward({8}, vetoHolds, spec, judge::MissingPolicy::CountAsNo) -
                      49.0 / 81.0) < 1e-15);
        QCOMPARE(judge::holisticReward({8}, vetoFails, spec, judge::MissingPolicy::CountAsNo),
                 0.25);
        // No score: 0 under either policy (nothing is left to fall back on).
        QCOMPARE(judge::holisticReward({}, vetoHolds, spec, judge::MissingPolicy::Drop), 0.0);
    }

    void parse_isStrict_andReawrdPyAgrees_data() {
        QTest::addColumn<QString>("raw");
        QTest::addColumn<int>("score"); // 0: an error
        QTest::newRow("json") << QStringLiteral(R"({"score": 7, "explanation": "ok"})") << 7;
        QTest::newRow("fenced") << QStringLiteral("Sure:\n```json\n{\"score\": 10}\n```") << 10;
        QTest::newRow("bare") << QStringLiteral(" 4 \n") << 4;
        QTest::newRow("bare out of ten") << QStringLiteral("9/10") << 9;
        QTest::newRow("eleven") << QStringLiteral(R"({"score": 11})") << 0;
        QTest::newRow("zero") << QStringLiteral(R"({"score": 0})") << 0;
        QTest::newRow("fraction") << QStringLiteral(R"({"score": 7.5})") << 0;
        QTest::newRow("integral float") << QStringLiteral(R"({"score": 7.0})") << 0;
        QTest::newRow("string digit") << QStringLiteral(R"({"score": "7"})") << 0;
        QTest::newRow("word") << QStringLiteral(R"({"score": "seven"})") << 0;
        QTest::newRow("boolean") << QStringLiteral(R"({"score": true})") << 0;
        QTest::newRow("no score") << QStringLiteral(R"({"rating": 7})") << 0;
        QTest::newRow("chatty number") << QStringLiteral("I would say 7.") << 0;
        QTest::newRow("bare eleven") << QStringLiteral("11") << 0;
        QTest::newRow("arabic-indic digit") << QString::fromUtf8("\u0667") << 0;
    }
    void parse_isStrict_andReawrdPyAgrees() {
        QFETCH(QString, raw);
        QFETCH(int, score);
        const auto got = judge::parseHolisticAnswer(raw);
        QCOMPARE(got ? got->score : 0, score);
        if (python().isEmpty())
            return;
        QTemporaryDir dir;
        test::writeFile(dir, QStringLiteral("reward.py"), pack::referenceRewardScript());
        QProcess p;
        p.setWorkingDirectory(dir.path());
        p.start(python(), {QStringLiteral("-c"),
                           QStringLiteral("import sys; from reward import parse_holistic\n"
                                          "print(parse_holistic(sys.stdin.read()) or 0)")});
        p.write(raw.toUtf8());
        p.closeWriteChannel();
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.readAllStandardOutput().trimmed().toInt(), score);
    }

    void implicitRubric_everyRewardAgrees_data() { test::addCorpusRows(); }
    void implicitRubric_everyRewardAgrees() {
        RS_FETCH_CORPUS(test::alpacaDir);
        auto f = project(corpus);
        test::ServerProcess server;
        QVERIFY(server.start());
        const judge::JudgeConfig cfg = config(server);
        auto scheduler = std::make_unique<llm::LlmScheduler>(llm::PriceTable(), f->store.get());

        // 1. The plan: per response and grading one holistic call for p0 and p1 (plus p0's
        //    judged veto), p2's joint call; the check never reaches the judge; every request
        //    has its own cache key, holistic ones in the holistic form.
        int n0 = 0, n1 = 0, n2 = 0;
        for (const qint64 p : f->promptOf)
            (p == f->p0 ? n0 : p == f->p1 ? n1 : n2) += 1;
        judge::JudgeRunner runner(*f->store, *scheduler);
        auto planned = runner.plannedRequests(cfg, nullptr, judge::JudgeRunner::RunRow::FindOnly);
        QVERIFY(planned.ok());
        QCOMPARE(int(planned->size()), 2 * (2 * n0 + n1 + n2));
        std::set<std::string> keys, holisticKeys;
        std::map<std::string, QString> contents; // key → what was asked
        int holistic = 0;
        for (const llm::LlmRequest &r : planned.value()) {
            const std::string key = llm::LlmCache::keyFor(cfg.provider, r);
            keys.insert(key);
            const QString content = r.templateVersion + r.system + r.messages.first().content +
                                    QString::number(r.sample);
            QCOMPARE(contents.emplace(key, content).first->second, content);
            if (r.templateVersion == judge::HolisticTemplate::version())
                holisticKeys.insert(key);
            const QString user = r.messages.first().content;
            QVERIFY(!user.contains(kCheck40));
            QVERIFY(!user.contains(kNoSorry));
            if (r.templateVersion != judge::HolisticTemplate::version()) {
                QVERIFY(!user.contains(kGuideA)); // guidance is asked about as a whole only
                continue;
            }
            ++holistic;
            QVERIFY(r.system.contains(QLatin1String("[mode:holistic]")));
            QCOMPARE(r.jsonSchema, judge::HolisticTemplate::answerSchema());
            QCOMPARE(r.format, llm::ResponseFormat::JsonSchema);
            QVERIFY(user.contains(kGuideA + QStringLiteral(" (weight ")));
            QVERIFY(!user.contains(kVetoYou));
        }
        QCOMPARE(holistic, 2 * (n0 + n1));
        // Two answers with the same text ask the same question (a shared key is right then);
        // otherwise every request has its own key, a holistic one never a criterion call's.
        QCOMPARE(int(keys.size()), int(contents.size()));
        for (const auto &[key, content] : contents)
            QVERIFY(!holisticKeys.count(key) ||
                    content.startsWith(judge::HolisticTemplate::version()));

        // 2. The run: malformed scores fail their own items (after the re-asks), not the run.
        auto run = runner.run(cfg, {});
        QVERIFY2(run.ok(), qPrintable(run.ok() ? QString() : run.error().toString()));
        QCOMPARE(run->failedCalls, 4);
        const QString failures = run->failures.join(QLatin1Char('\n'));
        QVERIFY2(
            failures.contains(QStringLiteral("response %1: unparseable answer: the holistic "
                                             "score must be a whole number from 1 to 10, found 11")
                                  .arg(f->bad11)),
            qPrintable(failures));
        QVERIFY2(
            failures.contains(QStringLiteral("response %1: unparseable answer: the holistic "
                                             "score must be a whole number from 1 to 10, found "
                                             "\"seven\"")
                                  .arg(f->badSeven)),
            qPrintable(failures));
        const auto requests = [&] {
            return server.stats().value(QStringLiteral("model_requests")).toInteger(-1);
        };
        // Each malformed item was asked three times (two re-asks, each a new sample), and every
        // answer is cached under its own key.
        const qint64 sent = requests();
        QVERIFY(sent >= qint64(keys.size()) + 8 && sent <= qint64(planned->size()) + 8);
        {
            auto cache = store::Database::open(f->path, store::Database::Mode::ReadOnly);
            QCOMPARE(cache->scalar("SELECT count(*) FROM llm_cache").value(),
                     qint64(keys.size()) + 8);
        }

        // 3. A re-run asks only the failed items again, all from the cache: nothing is sent.
        auto again = runner.run(cfg, {});
        QVERIFY(again.ok());
        QCOMPARE(again->callsPlanned, 4);
        QCOMPARE(again->sentCalls, 0);
        QCOMPARE(requests(), sent);

        // 4. What was stored follows the server's rules.
        auto db = store::Database::open(f->path, store::Database::Mode::ReadOnly);
        auto hs = db->prepare("SELECT response_id, status, coalesce(score, 0),"
                              " coalesce(rationale, '') FROM holistic_scores WHERE run_id = ?1");
        hs->bind(1, std::int64_t(run->runId));
        int rows = 0;
        while (hs->step().value()) {
            ++rows;
            const qint64 id = hs->columnInt(0);
            if (id == f->bad11 || id == f->badSeven) {
                QCOMPARE(hs->columnText(1), QStringLiteral("error"));
                QVERIFY(hs->columnText(3).contains(QLatin1String("found")));
                continue;
            }
            QCOMPARE(hs->columnText(1), QStringLiteral("ok"));
            QCOMPARE(int(hs->columnInt(2)), serverScore(f->texts.value(id)));
        }
        QCOMPARE(rows, 2 * (n0 + n1));

        // 5. Every reader gives the hand-computed reward.
        const QHash<qint64, Expect> want = expected(*f, run->runId);
        bool capped = false, uncapped = false;
        auto scores = judge::computeScores(*db, {});
        QVERIFY(scores.ok());
        QCOMPARE(int(scores->size()), f->texts.size());
        for (const judge::ResponseScore &s : scores.value()) {
            const Expect &e = want[s.responseId];
            QVERIFY2(std::fabs(s.reward - e.reward) < 1e-12,
                     qPrintable(QStringLiteral("response %1: %2, want %3")
                                    .arg(s.responseId)
                                    .arg(s.reward)
                                    .arg(e.reward)));
            QVERIFY(std::fabs(s.rewardSoft - e.reward) < 1e-12 || s.promptId == f->p2);
            QCOMPARE(s.holisticScore.has_value(), e.holistic.has_value());
            if (e.holistic)
                QVERIFY(std::fabs(*s.holisticScore - *e.holistic) < 1e-12);
            if (s.promptId == f->p0 && e.holistic) {
                const double base = plainBase({serverScore(f->texts.value(s.responseId))});
                (e.reward < base ? capped : uncapped) = true;
            }
        }
        QVERIFY2(capped && uncapped, "the judged veto should cap some rewards and not others");

        judge::TallyOptions to;
        to.gradingVotes = true;
        auto tally = judge::VerdictTally::load(*db, to);
        QVERIFY(tally.ok());
        auto metrics = analytics::loadMetricData(*db, {});
        QVERIFY(metrics.ok());
        for (const analytics::ResponseFacts &m : metrics->responses)
            QVERIFY(std::fabs(m.reward - want[m.responseId].reward) < 1e-12);
        for (const judge::TallyResponse &r : tally->responses()) {
            if (r.promptId == f->p2)
                continue;
            for (int g = 0; g < 2; ++g) {
                const double got = tally->gradingReward(r, g, judge::MissingPolicy::CountAsNo);
                const double w = want[r.responseId].byGrading[std::size_t(g)];
                QVERIFY2(std::fabs(got - w) < 1e-12,
                         qPrintable(QStringLiteral("response %1, grading %2: %3, want %4")
                                        .arg(r.responseId)
                                        .arg(g)
                                        .arg(got)
                                        .arg(w)));
            }
        }

        // What the inspector shows: the score and the judge's explanation.
        auto grid = judge::loadVerdictGrid(*db, f->p0, run->runId);
        QVERIFY(grid.ok());
        QVERIFY(grid->implicit);
        for (const judge::GridRow &row : grid->rows) {
            if (row.responseId == f->bad11 || row.responseId == f->badSeven) {
                QCOMPARE(row.holisticScore, -1.0);
                continue;
            }
            QCOMPARE(row.holisticScore, double(serverScore(f->texts.value(row.responseId))));
            QCOMPARE(row.holisticScores, 2);
            QVERIFY(row.holisticRationale.startsWith(QLatin1String("The response has ")));
        }

        // 6. The reward server: a response the project has is answered from its scores, a new
        //    one is judged (holistic call and veto) and scored the same way.
        {
            serve::ServeMetrics sm;
            serve::RewardService::Options so;
            so.config = cfg;
            serve::RewardService service(*f->store, *scheduler, sm, so);
            QVERIFY(service.start());
            QCOMPARE(service.runId(), run->runId);
            const QString fresh = QStringLiteral("A new answer, written for you in nine words.");
            std::vector<serve::RewardItem> items;
            std::vector<qint64> ids;
            for (auto it = f->texts.cbegin(); it != f->texts.cend(); ++it)
                if (f->promptOf.value(it.key()) != f->p2) {
                    items.push_back({f->promptOf.value(it.key()), it.value().toStdString()});
                    ids.push_back(it.key());
                }
            items.push_back({f->p0, fresh.toStdString()});
            std::promise<std::vector<serve::RewardResult>> done;
            QVERIFY(service.submit(
                items, [&](std::vector<serve::RewardResult> r) { done.set_value(std::move(r)); }));
            const auto results = done.get_future().get();
            for (std::size_t i = 0; i < ids.size(); ++i) {
                const serve::RewardResult &r = results[i];
                if (ids[i] == f->bad11 || ids[i] == f->badSeven) {
                    QCOMPARE(r.status, 502); // a failed judge call is not a reward of 0
                    continue;
                }
                QCOMPARE(r.status, 200);
                QVERIFY(r.implicit);
                QVERIFY(r.cached);
                QVERIFY(std::fabs(r.reward - want[ids[i]].reward) < 1e-12);
                QCOMPARE(r.holisticScore, *want[ids[i]].holistic);
            }
            const serve::RewardResult &n = results.back();
            QCOMPARE(n.status, 200);
            QVERIFY(!n.cached);
            QCOMPARE(n.holisticScore, double(serverScore(fresh)));
            QVERIFY(std::fabs(n.reward - plainBase({serverScore(fresh), serverScore(fresh)})) <
                    1e-12);
            service.stop();
        }
        // The served response is now one of the project's: the expectations follow.
        scheduler.reset();
        f->store.reset(); // the CLI and the pack export open the project themselves
        db = store::Database::open(f->path, store::Database::Mode::ReadOnly);
        QHash<qint64, Expect> all = expected(*f, run->runId);

        // 7. scores --json and export-verdicts (the CLI).
        const json scoresJson = json::parse(
            cli({QStringLiteral("scores"), f->path, QStringLiteral("--json")}).toStdString());
        int compared = 0;
        for (const json &s : scoresJson["scores"]) {
            const qint64 id = s["response"].get<qint64>();
            if (!all.contains(id))
                continue; // the served response
            QVERIFY(std::fabs(s["reward"].get<double>() - all[id].reward) < 1e-12);
            QCOMPARE(s.contains("holistic_score"), f->promptOf.value(id) != f->p2);
            if (all[id].holistic)
                QCOMPARE(s["holistic_score"].get<double>(), *all[id].holistic);
            ++compared;
        }
        QCOMPARE(compared, f->texts.size());
        const QString answers = f->dir.filePath(QStringLiteral("answers.jsonl"));
        QVERIFY(!cli({QStringLiteral("export-verdicts"), f->path, QStringLiteral("--out"), answers})
                     .isNull());
        for (const json &line : jsonLines(readAll(answers))) {
            const qint64 id = line["response_id"].get<qint64>();
            if (!all.contains(id))
                continue;
            QVERIFY(std::fabs(line["reward"].get<double>() - all[id].reward) < 1e-12);
            if (f->promptOf.value(id) == f->p2) {
                QVERIFY(!line.contains("holistic_score"));
                continue;
            }
            QCOMPARE(line["aggregation"].get<std::string>(), std::string("implicit"));
            QCOMPARE(line["holistic"].size(), std::size_t(2));
            if (all[id].holistic)
                QCOMPARE(line["holistic_score"].get<double>(), *all[id].holistic);
            for (const json &c : line["criteria"])
                if (c["criterion"] == kGuideA.toStdString())
                    QCOMPARE(c["source"].get<std::string>(), std::string("guidance"));
        }

        // 8. The native pack carries the aggregation; formats that cannot say so; it imports
        //    back unchanged; reward.py gives the same rewards, recorded and live.
        const QString packDir = f->dir.filePath(QStringLiteral("pack"));
        pack::PackExportOptions po;
        po.outDir = packDir;
        QVERIFY(pack::exportPack(*db, po).ok());
        int implicitRecords = 0;
        for (const json &r : jsonLines(readAll(packDir + QStringLiteral("/rubrics.jsonl"))))
            implicitRecords += r["aggregation"] == "implicit" && r.contains("veto_cap");
        QCOMPARE(implicitRecords, 2);
        const json manifest =
            json::parse(readAll(packDir + QStringLiteral("/manifest.json")).toStdString());
        QVERIFY(manifest["judge"]["holistic"]["system"].get<std::string>().find(
                    "[mode:holistic]") != std::string::npos);
        QVERIFY(manifest["aggregation"].contains("implicit"));
        po.outDir = f->dir.filePath(QStringLiteral("paper"));
        po.format = pack::PackFormat::Paper;
        QVERIFY(pack::exportPack(*db, po).ok());
        QVERIFY(readAll(po.outDir + QStringLiteral("/manifest.json"))
                    .contains("the implicit aggregation (one holistic 1-10 judge score"));
        {
            auto store = store::ProjectStore::open(f->path);
            QVERIFY(store.ok());
            auto back = pack::importPack(*store.value(), packDir);
            QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().toString()));
            QCOMPARE(back->rubricVersionsAdded, 0);
            QCOMPARE(back->unchanged, 3);
        }
        if (python().isEmpty())
            QSKIP("python3 not found: reward.py not compared");
        QProcess recorded;
        recorded.start(python(), {packDir + QStringLiteral("/reward.py"), packDir,
                                  QStringLiteral("--answers"), answers});
        QVERIFY(recorded.waitForFinished(60000));
        QVERIFY2(recorded.exitCode() == 0, recorded.readAllStandardError().constData());
        compared = 0;
        for (const json &r : jsonLines(recorded.readAllStandardOutput())) {
            const qint64 id = r["response_id"].get<qint64>();
            if (!all.contains(id))
                continue;
            QVERIFY2(std::fabs(r["reward"].get<double>() - all[id].reward) < 1e-12,
                     qPrintable(QStringLiteral("reward.py, response %1: %2, want %3")
                                    .arg(id)
                                    .arg(r["reward"].get<double>())
                                    .arg(all[id].reward)));
            ++compared;
        }
        QCOMPARE(compared, f->texts.size());

        // Live: reward.py asks the test server the holistic question itself (the malformed
        // ones would stop it, as an unparseable answer must, so they stay out).
        QByteArray lines;
        auto pt = db->prepare("SELECT r.id, p.text, r.text FROM responses r"
                              " JOIN prompts p ON p.id = r.prompt_id");
        while (pt->step().value())
            if (all.contains(pt->columnInt(0)) && pt->columnInt(0) != f->bad11 &&
                pt->columnInt(0) != f->badSeven)
                lines +=
                    QByteArray::fromStdString(json{{"response_id", pt->columnInt(0)},
                                                   {"prompt", pt->columnText(1).toStdString()},
                                                   {"response", pt->columnText(2).toStdString()}}
                                                  .dump()) +
                    '\n';
        const QString responses = test::writeFile(f->dir, QStringLiteral("live.jsonl"), lines);
        QProcess live;
        live.start(python(),
                   {packDir + QStringLiteral("/reward.py"), packDir, QStringLiteral("--responses"),
                    responses, QStringLiteral("--base-url"), cfg.provider.baseUrl,
                    QStringLiteral("--model"), cfg.provider.model});
        QVERIFY(live.waitForFinished(120000));
        QVERIFY2(live.exitCode() == 0, live.readAllStandardError().constData());
        compared = 0;
        for (const json &r : jsonLines(live.readAllStandardOutput())) {
            const qint64 id = r["response_id"].get<qint64>();
            QVERIFY2(std::fabs(r["reward"].get<double>() - all[id].reward) < 1e-12,
                     qPrintable(QStringLiteral("live reward.py, response %1").arg(id)));
            ++compared;
        }
        QCOMPARE(compared, f->texts.size() - 2);
    }
};

QTEST_GUILESS_MAIN(TestImplicit)
#include "tst_implicit.moc"
