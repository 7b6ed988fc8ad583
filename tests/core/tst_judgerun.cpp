// Judge runs against the local LLM test server: verdicts equal the server's documented rule,
// faults are reported and healed by a re-run, edits re-judge only what changed, unparseable
// answers are re-asked then kept as failed, and a SIGKILLed CLI run resumes exactly. Each case
// runs on the AlpacaEval-format fixture, and on the shared data when present.
#include "datasupport.h"
#include "judge/judgerunner.h"
#include "judge/overrides.h"
#include "judge/pairwiseoracle.h"
#include "judge/preferences.h"
#include "judge/scorereader.h"
#include "judge/verdictgrid.h"
#include "llm/llmscheduler.h"
#include "serverprocess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>

using namespace rs;

namespace {

// The server's judge rule, restated from tests/llmserver/README.md and computed here on our
// own: a quoted term must occur (case-insensitively); else "at least N words"; else an even
// number of whitespace-separated words.
qsizetype wordCount(const QString &s)
{
    qsizetype n = 0;
    bool in = false;
    for (const QChar c : s) {
        const bool space = c.isSpace();
        if (!space && !in)
            ++n;
        in = !space;
    }
    return n;
}

bool expectedVerdict(const QString &criterion, const QString &response)
{
    static const QRegularExpression quoted(QStringLiteral("\"([^\"]+)\""));
    static const QRegularExpression atLeast(QStringLiteral("at least (\\d+) words"));
    if (auto m = quoted.match(criterion); m.hasMatch())
        return response.contains(m.captured(1), Qt::CaseInsensitive);
    if (auto m = atLeast.match(criterion); m.hasMatch())
        return wordCount(response) >= m.captured(1).toInt();
    return wordCount(response) % 2 == 0;
}

struct Crit {
    const char *text;
    int weight;
};
const Crit kCriteria[] = {{"The response mentions \"example\".", 3},
                          {"The response uses the word \"you\".", 2},
                          {"The response is at least 150 words long.", 1},
                          {"The response is concise and clear.", 1}};
// Of the fixture's 72 verdicts (3 prompts x 6 models x 4 criteria), the rule says yes to 26
// (counted with a script over tests/fixtures/alpaca-mini).
constexpr int kFixtureYes = 26;

QByteArray rubricLine(const QString &prompt, const QList<Crit> &criteria)
{
    QJsonArray list;
    for (const auto &c : criteria)
        list.push_back(QJsonObject{{QStringLiteral("criterion"), QString::fromUtf8(c.text)},
                                   {QStringLiteral("weight"), c.weight}});
    return QJsonDocument(QJsonObject{{QStringLiteral("prompt"), prompt}, {QStringLiteral("rubrics"), list}})
               .toJson(QJsonDocument::Compact)
           + "\n";
}

qint64 serverCalls(const test::ServerProcess &s)
{
    return s.stats().value(QStringLiteral("model_requests")).toInteger(-1);
}

} // namespace

class JudgeRun final : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    /// A project with every model file of the corpus and a rubric on three prompts that every
    /// model answered, named after the corpus and `name`.
    std::unique_ptr<store::ProjectStore> makeProject(test::Corpus corpus, const QString &name)
    {
        const QString file = test::corpusName(corpus) + QLatin1Char('-') + name;
        auto store = test::newProject(m_dir, file);
        import::ImportConfig c;
        c.files = test::alpacaModelFiles(corpus);
        if (!import::importFiles(*store, c).ok())
            qFatal("import failed");
        QByteArray rubrics;
        for (const QString &p : test::alpacaFacts(corpus).judgedPrompts)
            rubrics += rubricLine(p, QList<Crit>(std::begin(kCriteria), std::end(kCriteria)));
        import::ImportConfig r;
        r.files << test::writeFile(m_dir, file + QStringLiteral(".rubrics.jsonl"), rubrics);
        if (!import::importFiles(*store, r).ok())
            qFatal("rubric import failed");
        return store;
    }

    static judge::JudgeConfig config(const test::ServerProcess &server)
    {
        judge::JudgeConfig c;
        c.provider.name = QStringLiteral("local");
        c.provider.baseUrl = server.baseUrl() + QStringLiteral("/v1");
        c.provider.model = QStringLiteral("test-judge");
        c.provider.maxConcurrency = 8;
        c.provider.timeoutMs = 5000;
        return c;
    }

    /// Responses to the three judged prompts (every model answered each).
    static int judgedResponses(test::Corpus corpus) { return 3 * test::alpacaFacts(corpus).models; }

private Q_SLOTS:
    void verdictsAndRewardsMatchTheServersRule_data() { test::addCorpusRows(); }
    void verdictsAndRewardsMatchTheServersRule()
    {
        RS_FETCH_CORPUS(test::alpacaDir);
        const int responses = judgedResponses(corpus);
        auto store = makeProject(corpus, QStringLiteral("rule.rubrics"));
        test::ServerProcess server;
        QVERIFY(server.start());
        llm::LlmScheduler scheduler(llm::PriceTable(), store.get());
        judge::JudgeRunner runner(*store, scheduler);
        // A preview counts the calls and writes nothing, not even the run's row.
        auto preview = runner.preview(config(server), llm::PriceTable(), false);
        QVERIFY(preview.ok());
        QCOMPARE(preview->calls, responses);
        QCOMPARE(store::Database::open(store->path(), store::Database::Mode::ReadOnly)
                     ->scalar("SELECT count(*) FROM judge_runs")
                     .value(),
                 0);
        auto result = runner.run(config(server), {});
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
        QCOMPARE(result->responses, responses);
        QCOMPARE(result->callsDone, responses);
        QCOMPARE(result->verdictsStored, 4 * responses);
        QCOMPARE(result->failedCalls, 0);

        auto db = store::Database::open(store->path(), store::Database::Mode::ReadOnly);
        auto st = db->prepare("SELECT r.text, c.text, v.verdict FROM verdicts v"
                              " JOIN responses r ON r.id = v.response_id"
                              " JOIN rubrics b ON b.prompt_id = r.prompt_id"
                              " JOIN criteria c ON c.version_id = b.head_version_id AND c.stable_id = v.stable_id");
        int checked = 0, yes = 0;
        while (st->step().value()) {
            const bool want = expectedVerdict(st->columnText(1), st->columnText(0));
            QCOMPARE(st->columnText(2), want ? QStringLiteral("yes") : QStringLiteral("no"));
            yes += want;
            ++checked;
        }
        QCOMPARE(checked, 4 * responses);
        if (corpus == test::Corpus::Fixture)
            QCOMPARE(yes, kFixtureYes);
        QVERIFY(yes > 10 && yes < checked - 10); // the rules really discriminate on this data

        // Rewards: Σ w·V / Σ w, recomputed here from the texts.
        auto scores = judge::computeScores(db.value(), {});
        QVERIFY(scores.ok());
        QCOMPARE(scores->size(), size_t(responses));
        for (const auto &s : scores.value()) {
            auto rt = db->prepare("SELECT text FROM responses WHERE id = ?1");
            rt->bind(1, std::int64_t(s.responseId));
            QVERIFY(rt->step().value());
            double num = 0, den = 0;
            for (const auto &c : kCriteria) {
                den += c.weight;
                num += expectedVerdict(QString::fromUtf8(c.text), rt->columnText(0)) ? c.weight : 0;
            }
            QCOMPARE(s.reward, num / den);
            QCOMPARE(s.judged, 4);
        }

        // The heatmap of the first prompt: ranked rows, a human override changes the reward,
        // and reverting it restores the judge's verdict.
        auto grid = judge::loadVerdictGrid(db.value(), scores->front().promptId, result->runId);
        QVERIFY(grid.ok());
        QCOMPARE(grid->rows.size(), test::alpacaFacts(corpus).models);
        QCOMPARE(grid->criteria.size(), 4);
        for (qsizetype i = 1; i < grid->rows.size(); ++i)
            QVERIFY(grid->rows[i - 1].reward >= grid->rows[i].reward);
        const judge::GridRow last = grid->rows.last();
        const int c0 = last.cells[0].state == judge::CellState::Yes ? 1 : 0; // flip criterion c1
        auto detail = judge::loadCall(db.value(), last.cells[0].callId);
        QVERIFY(detail.ok() && detail->raw.contains(QLatin1String("c1")));
        judge::OverrideRequest o{last.responseId, grid->rubricId, grid->criteria[0].stableId,
                                 grid->criteria[0].hash, c0 == 0, QStringLiteral("checked by hand"), {}};
        auto oid = judge::setOverride(*store, o);
        QVERIFY(oid.ok());
        auto after = judge::loadVerdictGrid(db.value(), scores->front().promptId, result->runId);
        auto row = std::find_if(after->rows.begin(), after->rows.end(),
                                [&](const judge::GridRow &r) { return r.responseId == last.responseId; });
        QCOMPARE(row->reward, last.reward + (c0 == 0 ? 3.0 : -3.0) / 7.0);
        QVERIFY(row->cells[0].state == (c0 == 0 ? judge::CellState::OverriddenYes : judge::CellState::OverriddenNo));
        QCOMPARE(row->cells[0].overrideNote, QStringLiteral("checked by hand"));
        QVERIFY(judge::revertOverride(*store, oid.value()).ok());
        auto reverted = judge::loadVerdictGrid(db.value(), scores->front().promptId, result->runId);
        row = std::find_if(reverted->rows.begin(), reverted->rows.end(),
                           [&](const judge::GridRow &r) { return r.responseId == last.responseId; });
        QCOMPARE(row->reward, last.reward);
        QCOMPARE(db->scalar("SELECT count(*) FROM overrides").value(), 1); // kept on record

        // Judging again with the same settings finds nothing to do.
        auto again = runner.run(config(server), {});
        QVERIFY(again.ok());
        QCOMPARE(again->callsPlanned, 0);
        QCOMPARE(again->verdictsBefore, 4 * responses);
    }

    void faultsAreReportedAndHealedByARerun_data() { test::addCorpusRows(); }
    void faultsAreReportedAndHealedByARerun()
    {
        RS_FETCH_CORPUS(test::alpacaDir);
        const int responses = judgedResponses(corpus);
        auto store = makeProject(corpus, QStringLiteral("faults.rubrics"));
        test::ServerProcess server;
        QVERIFY(server.start({QStringLiteral("--fault-rate"), QStringLiteral("0.2"), QStringLiteral("--faults"),
                              QStringLiteral("429,500,503,reset,malformed,truncated"),
                              QStringLiteral("--retry-after"), QStringLiteral("0"), QStringLiteral("--seed"), QStringLiteral("7")}));
        llm::LlmScheduler scheduler(llm::PriceTable(), store.get());
        judge::JudgeRunner runner(*store, scheduler);
        auto c = config(server);
        c.provider.maxRetries = 0; // every fault becomes a failed call
        auto first = runner.run(c, {});
        QVERIFY(first.ok());
        QCOMPARE(first->callsDone, responses);
        QVERIFY(first->failedCalls > 0);
        QVERIFY(first->failedCalls < responses);
        QCOMPARE(first->failures.size(), int(first->failedCalls));
        auto db = store::Database::open(store->path(), store::Database::Mode::ReadOnly);
        QCOMPARE(db->scalar("SELECT count(*) FROM verdicts WHERE verdict = 'error'").value(), first->failedCalls * 4);

        c.provider.maxRetries = 8; // the same run, now with retries: only the failed calls go out
        auto second = runner.run(c, {});
        QVERIFY(second.ok());
        QCOMPARE(second->runId, first->runId);
        QCOMPARE(second->callsPlanned, first->failedCalls);
        QCOMPARE(second->failedCalls, 0);
        QCOMPARE(db->scalar("SELECT count(*) FROM verdicts WHERE verdict = 'error'").value(), 0);
        QCOMPARE(db->scalar("SELECT count(*) FROM verdicts").value(), 4 * responses);
    }

    void aStoppedRunKeepsItsAnswersAndTheNextSendsOnlyTheRest_data() { test::addCorpusRows(); }
    void aStoppedRunKeepsItsAnswersAndTheNextSendsOnlyTheRest() {
        // The run is a pipeline of jobs (the first small, the next rendered while it is out):
        // stopping it reaches every job, and what was answered before the stop is kept.
        RS_FETCH_CORPUS(test::alpacaDir);
        const int calls = 4 * judgedResponses(corpus); // per criterion: more than the first job
        auto store = makeProject(corpus, QStringLiteral("stopped.rubrics"));
        test::ServerProcess server;
        QVERIFY(server.start({QStringLiteral("--latency-ms"), QStringLiteral("200")}));
        llm::LlmScheduler scheduler(llm::PriceTable(), store.get());
        judge::JudgeRunner runner(*store, scheduler);
        auto c = config(server);
        c.mode = judge::JudgeMode::PerCriterion;
        std::vector<judge::JudgeProgress> seen;
        auto stopped = runner.run(c, {}, [&](const judge::JudgeProgress &p) {
            seen.push_back(p);
            return p.callsDone < c.provider.maxConcurrency; // stop after the first wave
        });
        QVERIFY(stopped.ok());
        QVERIFY(stopped->cancelled);
        // The plan is reported before the first call.
        QCOMPARE(seen.front().callsTotal, calls);
        QCOMPARE(seen.front().callsDone, 0);
        QVERIFY(stopped->callsDone >= c.provider.maxConcurrency);
        QVERIFY(stopped->callsDone < calls);
        auto db = store::Database::open(store->path(), store::Database::Mode::ReadOnly);
        QCOMPARE(db->scalar("SELECT count(*) FROM verdicts").value(), stopped->verdictsStored);
        QCOMPARE(stopped->verdictsStored, stopped->callsDone);

        const qint64 sentBefore = serverCalls(server);
        auto rest = runner.run(c, {});
        QVERIFY(rest.ok());
        QVERIFY(!rest->cancelled);
        QCOMPARE(rest->runId, stopped->runId);
        QCOMPARE(rest->callsPlanned, calls - stopped->verdictsStored);
        QCOMPARE(rest->failedCalls, 0);
        QCOMPARE(serverCalls(server) - sentBefore, rest->callsPlanned);
        QCOMPARE(db->scalar("SELECT count(*) FROM verdicts").value(), calls);
    }

    void editingOneCriterionRejudgesOnlyThatCriterion_data() { test::addCorpusRows(); }
    void editingOneCriterionRejudgesOnlyThatCriterion()
    {
        RS_FETCH_CORPUS(test::alpacaDir);
        const int models = test::alpacaFacts(corpus).models;
        auto store = makeProject(corpus, QStringLiteral("edit.rubrics"));
        test::ServerProcess server;
        QVERIFY(server.start());
        llm::LlmScheduler scheduler(llm::PriceTable(), store.get());
        judge::JudgeRunner runner(*store, scheduler);
        QVERIFY(runner.run(config(server), {}).ok());
        const qint64 before = serverCalls(server);
        // A preview taken before the edit: run() must not send what it rendered then.
        auto stale = runner.preview(config(server), llm::PriceTable(), false);
        QVERIFY(stale.ok());
        QCOMPARE(stale->calls, 0);

        // A new version of the first prompt's rubric with one criterion reworded.
        QList<Crit> edited(std::begin(kCriteria), std::end(kCriteria));
        edited[1] = Crit{"The response addresses the reader as \"you\".", 2};
        import::ImportConfig r;
        r.files << test::writeFile(m_dir, test::corpusName(corpus) + QStringLiteral("-edit.jsonl"),
                                   rubricLine(test::alpacaFacts(corpus).judgedPrompts[0], edited));
        auto imported = import::importFiles(*store, r);
        QVERIFY(imported.ok());
        QCOMPARE(imported->rubricVersionsAdded, 1);

        auto rerun = runner.run(config(server), {});
        QVERIFY(rerun.ok());
        QCOMPARE(rerun->callsDone, models);
        QCOMPARE(rerun->verdictsStored, models); // one criterion each
        QCOMPARE(serverCalls(server) - before, models);

        // Another reworded criterion, previewed now: the run sends the previewed requests
        // (the same cache keys as rendering them again), one per response of that prompt.
        edited[2] = Crit{"The response ends with a one-line summary.", 1};
        r.files = {test::writeFile(m_dir, test::corpusName(corpus) + QStringLiteral("-edit2.jsonl"),
                                   rubricLine(test::alpacaFacts(corpus).judgedPrompts[0], edited))};
        QVERIFY(import::importFiles(*store, r).ok());
        auto preview = runner.preview(config(server), llm::PriceTable(), false);
        QVERIFY(preview.ok());
        QCOMPARE(preview->calls, models);
        QCOMPARE(preview->cached, 0);
        auto third = runner.run(config(server), {});
        QVERIFY(third.ok());
        QCOMPARE(third->callsDone, models);
        QCOMPARE(third->verdictsStored, models);
        QCOMPARE(serverCalls(server) - before, 2 * models);
        QCOMPARE(runner.preview(config(server), llm::PriceTable(), false)->calls, 0);
    }

    void unparseableAnswersAreReaskedThenKeptAsFailed_data() { test::addCorpusRows(); }
    void unparseableAnswersAreReaskedThenKeptAsFailed()
    {
        RS_FETCH_CORPUS(test::alpacaDir);
        const int responses = judgedResponses(corpus);
        auto store = makeProject(corpus, QStringLiteral("parse.rubrics"));
        test::ServerProcess server;
        QVERIFY(server.start());
        llm::LlmScheduler scheduler(llm::PriceTable(), store.get());
        judge::JudgeRunner runner(*store, scheduler);
        auto c = config(server);
        c.tier = QString(); // all responses
        c.systemTemplate = QStringLiteral("Grade it."); // no role marker and a plain model name:
        c.provider.model = QStringLiteral("plain-chat"); // the server just echoes
        c.parseRetries = 2;
        auto result = runner.run(c, {});
        QVERIFY(result.ok());
        QCOMPARE(result->failedCalls, responses);
        // Each call was asked three times: new samples (seeds), never hotter.
        QCOMPARE(serverCalls(server), 3 * responses);
        auto db = store::Database::open(store->path(), store::Database::Mode::ReadOnly);
        auto st = db->prepare("SELECT raw, error, temperature FROM judge_calls LIMIT 1");
        QVERIFY(st->step().value());
        QVERIFY(st->columnText(0).startsWith(QLatin1String("Echo:"))); // raw text kept
        QVERIFY(st->columnText(1).startsWith(QLatin1String("unparseable answer")));
        QCOMPARE(st->columnDouble(2), 0.0);
    }

    void pairwiseOracleAsksBothOrdersAndStoresAGoldPreference_data() { test::addCorpusRows(); }
    void pairwiseOracleAsksBothOrdersAndStoresAGoldPreference()
    {
        RS_FETCH_CORPUS(test::alpacaDir);
        auto store = makeProject(corpus, QStringLiteral("oracle.rubrics"));
        test::ServerProcess server;
        // The openai profile: the oracle's answer schema must pass strict mode's rules.
        QVERIFY(server.start({QStringLiteral("--profile"), QStringLiteral("openai")}));
        auto db = store::Database::open(store->path(), store::Database::Mode::ReadOnly);
        // Two answers to one prompt with different word counts: the server's oracle prefers
        // the one with more words, whichever position it is shown in.
        auto st = db->prepare("SELECT id, text, prompt_id FROM responses WHERE prompt_id = "
                              "(SELECT min(prompt_id) FROM responses) ORDER BY id LIMIT 2");
        QVERIFY(st->step().value());
        const qint64 a = st->columnInt(0), prompt = st->columnInt(2);
        const qsizetype wordsA = wordCount(st->columnText(1));
        QVERIFY(st->step().value());
        const qint64 b = st->columnInt(0);
        const qsizetype wordsB = wordCount(st->columnText(1));
        QVERIFY(wordsA != wordsB);
        st->reset(); // end the read snapshot, to see what the oracle stores

        llm::LlmScheduler scheduler(llm::PriceTable(), store.get());
        judge::OracleRequest req;
        req.provider = config(server).provider;
        req.provider.model = QStringLiteral("test-pairwise");
        req.promptId = prompt;
        req.responseA = a;
        req.responseB = b;
        auto out = judge::askPairwiseOracle(*store, scheduler, req);
        QVERIFY2(out.ok(), qPrintable(out.ok() ? QString() : out.error().toString()));
        QCOMPARE(out->orders, 2);
        QVERIFY(out->agreed);
        QCOMPARE(out->preference, wordsB > wordsA ? 1.0 : 0.0);
        QCOMPARE(db->scalar("SELECT count(*) FROM preferences WHERE source = 'oracle'").value(), 1);
        const QJsonObject stats = server.stats();
        QCOMPARE(stats.value(QStringLiteral("structured_by_role")).toObject().value(QStringLiteral("pairwise")).toInt(), 2);
        QCOMPARE(stats.value(QStringLiteral("by_role")).toObject().value(QStringLiteral("pairwise")).toInt(), 2);

        // A panel of two oracle models: each asked both orders, the preference their mean,
        // every member's answers kept.
        judge::OracleRequest panel = req;
        llm::ProviderConfig second = req.provider;
        second.model = QStringLiteral("test-pairwise-b");
        panel.panel = {req.provider, second};
        auto both = judge::askPairwiseOracle(*store, scheduler, panel);
        QVERIFY2(both.ok(), qPrintable(both.ok() ? QString() : both.error().toString()));
        QCOMPARE(int(both->members.size()), 2);
        QCOMPARE(both->members[1].model, QStringLiteral("test-pairwise-b"));
        QCOMPARE(both->preference, out->preference);
        auto detail = db->prepare("SELECT detail FROM preferences WHERE id = ?1");
        detail->bind(1, std::int64_t(both->preferenceId));
        QVERIFY(detail->step().value());
        QVERIFY(detail->columnText(0).contains(QLatin1String("\"members\"")));
        detail->reset();
        // A member that cannot answer fails the pair; nothing smaller is stored.
        llm::ProviderConfig dead = req.provider;
        dead.model = QStringLiteral("test-pairwise-dead");
        dead.baseUrl = QStringLiteral("http://127.0.0.1:9/v1");
        dead.maxRetries = 0;
        panel.panel = {req.provider, dead};
        const qint64 before = db->scalar("SELECT count(*) FROM preferences").value();
        auto broken = judge::askPairwiseOracle(*store, scheduler, panel);
        QVERIFY(!broken.ok());
        QVERIFY(broken.error().message.contains(QLatin1String("test-pairwise-dead")));
        QCOMPARE(db->scalar("SELECT count(*) FROM preferences").value(), before);

        req.bothOrders = false;
        req.seed = 42;
        auto single = judge::askPairwiseOracle(*store, scheduler, req);
        QVERIFY(single.ok());
        QCOMPARE(single->orders, 1);
        QCOMPARE(single->preference, out->preference);

        // A human pick, and a refused one across prompts.
        QVERIFY(judge::recordPreference(*store, {prompt, a, b, 0.0, QStringLiteral("human"), {}}).ok());
        auto other = db->scalar("SELECT min(id) FROM responses WHERE prompt_id != (SELECT min(prompt_id) FROM responses)");
        auto bad = judge::recordPreference(*store, {prompt, a, other.value(), 0.0, QStringLiteral("human"), {}});
        QVERIFY(!bad.ok());
        QVERIFY(bad.error().message.contains(QLatin1String("not both answers")));
    }

    void killedCliRunResumesToTheSameResult_data() { test::addCorpusRows(); }
    void killedCliRunResumesToTheSameResult()
    {
        RS_FETCH_CORPUS(test::alpacaDir);
        auto full = makeProject(corpus, QStringLiteral("full.rubrics"));
        auto killed = makeProject(corpus, QStringLiteral("killed.rubrics"));
        const QString fullPath = full->path(), killedPath = killed->path();
        full.reset();
        killed.reset();
        test::ServerProcess server;
        QVERIFY(server.start({QStringLiteral("--latency-ms"), QStringLiteral("30")}));
        const QStringList judgeArgs{QStringLiteral("judge"), QString(), QStringLiteral("--base-url"),
                                    server.baseUrl() + QStringLiteral("/v1"), QStringLiteral("--model"),
                                    QStringLiteral("test-judge"), QStringLiteral("--mode"),
                                    QStringLiteral("per-criterion"), QStringLiteral("--concurrency"), QStringLiteral("2")};
        auto cli = [&](const QString &project) {
            QStringList a = judgeArgs;
            a[1] = project;
            return a;
        };
        QProcess ok;
        ok.start(QStringLiteral(RS_CLI), cli(fullPath));
        QVERIFY(ok.waitForFinished(120000));
        QCOMPARE(ok.exitCode(), 0);

        for (int round = 0; round < 3; ++round) {
            QProcess p;
            p.start(QStringLiteral(RS_CLI), cli(killedPath));
            QVERIFY(p.waitForStarted());
            // Kill once some (not all) verdicts of this round are in the file.
            auto db = store::Database::open(killedPath, store::Database::Mode::ReadOnly);
            const qint64 start = db->scalar("SELECT count(*) FROM verdicts").value();
            QTRY_VERIFY_WITH_TIMEOUT(db->scalar("SELECT count(*) FROM verdicts").value() > start
                                         || p.state() == QProcess::NotRunning, 60000);
            p.kill();
            p.waitForFinished();
        }
        QProcess resume;
        resume.start(QStringLiteral(RS_CLI), cli(killedPath));
        QVERIFY(resume.waitForFinished(120000));
        QCOMPARE(resume.exitCode(), 0);

        auto a = store::Database::open(fullPath, store::Database::Mode::ReadOnly);
        auto b = store::Database::open(killedPath, store::Database::Mode::ReadOnly);
        const char *q = "SELECT group_concat(response_id || ':' || stable_id || ':' || verdict, ',') FROM "
                        "(SELECT * FROM verdicts ORDER BY response_id, stable_id, grading)";
        auto qa = a->prepare(q);
        auto qb = b->prepare(q);
        QVERIFY(qa->step().value() && qb->step().value());
        QCOMPARE(qb->columnText(0), qa->columnText(0));
        QCOMPARE(b->scalar("SELECT count(*) FROM verdicts").value(), 4 * judgedResponses(corpus));
        QCOMPARE(b->scalar("PRAGMA integrity_check").ok(), true);
    }
};

QTEST_GUILESS_MAIN(JudgeRun)
#include "tst_judgerun.moc"
