// Provider batch jobs: a judge run written as OpenAI or Anthropic batch files, turned into
// output files by the test server's batch mode, and imported back gives the same verdicts as
// the same job run live; a truncated output imports its complete records and the rest can be
// re-sent; unknown and repeated custom_ids are reported; files split at the provider limits.
#include "batch/judgebatch.h"
#include "judge/judgerunner.h"
#include "judge/scorereader.h"
#include "llm/llmscheduler.h"
#include "packsupport.h"
#include "serverprocess.h"

#include <QProcess>

#include <nlohmann/json.hpp>

using namespace rs;
using nlohmann::json;

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

/// Every verdict of a project as "response text | criterion text | grading | verdict", sorted:
/// comparable across projects whatever the row ids.
QStringList verdictSet(const QString &path)
{
    auto db = store::Database::open(path, store::Database::Mode::ReadOnly);
    auto st = db->prepare("SELECT r.text, c.text, v.grading, v.verdict FROM verdicts v"
                          " JOIN responses r ON r.id = v.response_id"
                          " JOIN rubrics b ON b.prompt_id = r.prompt_id"
                          " JOIN criteria c ON c.version_id = b.head_version_id AND c.stable_id = v.stable_id");
    QStringList out;
    while (st->step().value())
        out << QStringLiteral("%1|%2|%3|%4").arg(st->columnText(0), st->columnText(1)).arg(st->columnInt(2)).arg(st->columnText(3));
    out.sort();
    return out;
}

/// Converts batch input files with the test server's batch mode; returns the output files.
QStringList convert(const QStringList &inputs, batch::BatchFormat format)
{
    QStringList outputs;
    for (const QString &in : inputs) {
        QString out = in;
        out.replace(QLatin1String(".jsonl"), QLatin1String(".out.jsonl"));
        QByteArray err;
        const int rc = test::ServerProcess::run({format == batch::BatchFormat::OpenAi ? QStringLiteral("--batch-openai")
                                                                                        : QStringLiteral("--batch-anthropic"),
                                                 in, QStringLiteral("--out"), out},
                                                &err);
        if (rc != 0)
            qFatal("batch conversion failed: %s", err.constData());
        outputs << out;
    }
    return outputs;
}

} // namespace

class BatchJobs final : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    test::ServerProcess m_server;
    QStringList m_liveVerdicts[2]; // per mode: joint, per-criterion
    QHash<QString, double> m_liveRewards[2]; // response text -> reward

    judge::JudgeConfig config(llm::ProviderKind kind, judge::JudgeMode mode) const
    {
        judge::JudgeConfig c;
        c.provider.name = QStringLiteral("local");
        c.provider.kind = kind;
        c.provider.baseUrl = m_server.baseUrl() + QStringLiteral("/v1");
        c.provider.model = QStringLiteral("rs-test-judge");
        c.provider.timeoutMs = 5000;
        c.mode = mode;
        c.gradings = 2;
        return c;
    }

    static QHash<QString, double> rewards(const QString &path)
    {
        auto db = store::Database::open(path, store::Database::Mode::ReadOnly);
        auto scores = judge::computeScores(db.value(), {});
        QHash<QString, double> out;
        auto text = db->prepare("SELECT text FROM responses WHERE id = ?1");
        for (const auto &s : scores.value()) {
            text->reset();
            text->bind(1, std::int64_t(s.responseId));
            (void)text->step();
            out.insert(text->columnText(0), s.reward);
        }
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_server.start());
        // The reference: the same jobs run live.
        for (int mode = 0; mode < 2; ++mode) {
            auto live = test::packProject(m_dir, QStringLiteral("live-%1.rubrics").arg(mode));
            llm::LlmScheduler scheduler(llm::PriceTable(), live.get());
            judge::JudgeRunner runner(*live, scheduler);
            auto run = runner.run(config(llm::ProviderKind::OpenAiCompatible, judge::JudgeMode(mode)), {});
            QVERIFY(run.ok());
            QCOMPARE(run->failedCalls, 0);
            m_liveVerdicts[mode] = verdictSet(live->path());
            m_liveRewards[mode] = rewards(live->path());
        }
        QCOMPARE(m_liveVerdicts[0].size(), 15 * 4 * 2);
    }

    void batchRoundTripGivesTheLiveVerdicts_data()
    {
        QTest::addColumn<int>("format");
        QTest::addColumn<int>("mode");
        QTest::newRow("openai joint") << int(batch::BatchFormat::OpenAi) << int(judge::JudgeMode::Joint);
        QTest::newRow("openai per-criterion") << int(batch::BatchFormat::OpenAi) << int(judge::JudgeMode::PerCriterion);
        QTest::newRow("anthropic joint") << int(batch::BatchFormat::Anthropic) << int(judge::JudgeMode::Joint);
    }

    void batchRoundTripGivesTheLiveVerdicts()
    {
        QFETCH(int, format);
        QFETCH(int, mode);
        const auto fmt = batch::BatchFormat(format);
        const QString tag = QStringLiteral("rt-%1-%2").arg(format).arg(mode);
        auto store = test::packProject(m_dir, tag + QStringLiteral(".rubrics"));
        llm::LlmScheduler scheduler(llm::PriceTable(), store.get());
        const auto kind = fmt == batch::BatchFormat::OpenAi ? llm::ProviderKind::OpenAiCompatible
                                                            : llm::ProviderKind::Anthropic;
        const auto cfg = config(kind, judge::JudgeMode(mode));
        batch::BatchLimits limits = batch::BatchLimits::forFormat(fmt);
        limits.maxRequests = 7;
        const QString outDir = m_dir.filePath(tag);
        auto exported = batch::exportJudgeBatch(*store, scheduler, cfg, fmt, outDir, limits);
        QVERIFY2(exported.ok(), qPrintable(exported.ok() ? QString() : exported.error().toString()));
        const qint64 calls = mode == int(judge::JudgeMode::Joint) ? 15 * 2 : 15 * 4 * 2;
        QCOMPARE(exported->requests, calls);
        QCOMPARE(exported->files.size(), qsizetype((calls + 6) / 7));

        // Each line is the provider's batch shape around exactly the live request body.
        const json first = json::parse(readAll(exported->files.first()).split('\n').first().toStdString());
        QVERIFY(first["custom_id"].is_string());
        const json &body = fmt == batch::BatchFormat::OpenAi ? first["body"] : first["params"];
        QVERIFY(body["model"] == "rs-test-judge");
        if (fmt == batch::BatchFormat::OpenAi) {
            QVERIFY(first["url"] == "/v1/chat/completions");
            QVERIFY(first["method"] == "POST");
        }
        // Nothing was sent: no verdicts yet.
        QCOMPARE(verdictSet(store->path()).size(), 0);

        auto imported = batch::importBatchOutputs(*store, scheduler, convert(exported->files, fmt));
        QVERIFY2(imported.ok(), qPrintable(imported.ok() ? QString() : imported.error().toString()));
        QCOMPARE(imported->answered, calls);
        QCOMPARE(imported->remaining, 0);
        QVERIFY(imported->unknown.isEmpty() && imported->duplicates.isEmpty() && imported->problems.isEmpty());
        QCOMPARE(verdictSet(store->path()), m_liveVerdicts[mode]);
        QCOMPARE(rewards(store->path()), m_liveRewards[mode]);

        // Everything is answered now: a new export has nothing to send.
        auto again = batch::exportJudgeBatch(*store, scheduler, cfg, fmt, outDir + QStringLiteral("-again"), limits);
        QVERIFY(again.ok());
        QCOMPARE(again->requests, 0);
    }

    void truncatedOutputImportsCompleteRecordsAndTheRestIsResent()
    {
        auto store = test::packProject(m_dir, QStringLiteral("trunc.rubrics"));
        llm::LlmScheduler scheduler(llm::PriceTable(), store.get());
        const auto cfg = config(llm::ProviderKind::OpenAiCompatible, judge::JudgeMode::Joint);
        const auto limits = batch::BatchLimits::forFormat(batch::BatchFormat::OpenAi);
        auto exported = batch::exportJudgeBatch(*store, scheduler, cfg, batch::BatchFormat::OpenAi,
                                                m_dir.filePath(QStringLiteral("trunc")), limits);
        QVERIFY(exported.ok());
        QCOMPARE(exported->files.size(), 1);
        const QString output = convert(exported->files, batch::BatchFormat::OpenAi).first();
        // Keep 12 whole lines and half of the 13th, as a download cut short would.
        const QList<QByteArray> lines = readAll(output).split('\n');
        QByteArray cut;
        for (int i = 0; i < 12; ++i)
            cut += lines[i] + '\n';
        cut += lines[12].left(lines[12].size() / 2);
        const QString truncated = test::writeFile(m_dir, QStringLiteral("trunc.out.jsonl"), cut);

        auto first = batch::importBatchOutputs(*store, scheduler, {truncated});
        QVERIFY(first.ok());
        QCOMPARE(first->answered, 12);
        QCOMPARE(first->remaining, 30 - 12);
        QCOMPARE(first->problems.size(), 1);
        QVERIFY2(first->problems.first().contains(QLatin1String("trunc.out.jsonl:13:")), qPrintable(first->problems.first()));
        QCOMPARE(verdictSet(store->path()).size(), 12 * 4);

        // Re-send: the next export holds exactly the missing calls; its output completes the run.
        auto resend = batch::exportJudgeBatch(*store, scheduler, cfg, batch::BatchFormat::OpenAi,
                                              m_dir.filePath(QStringLiteral("trunc-resend")), limits);
        QVERIFY(resend.ok());
        QCOMPARE(resend->requests, 30 - 12);
        auto second = batch::importBatchOutputs(*store, scheduler, convert(resend->files, batch::BatchFormat::OpenAi));
        QVERIFY(second.ok());
        QCOMPARE(second->answered, 18);
        QCOMPARE(verdictSet(store->path()), m_liveVerdicts[0]);
    }

    void unknownAndRepeatedCustomIdsAreReported()
    {
        auto store = test::packProject(m_dir, QStringLiteral("ids.rubrics"));
        llm::LlmScheduler scheduler(llm::PriceTable(), store.get());
        const auto cfg = config(llm::ProviderKind::OpenAiCompatible, judge::JudgeMode::Joint);
        auto exported = batch::exportJudgeBatch(*store, scheduler, cfg, batch::BatchFormat::OpenAi,
                                                m_dir.filePath(QStringLiteral("ids")),
                                                batch::BatchLimits::forFormat(batch::BatchFormat::OpenAi));
        QVERIFY(exported.ok());
        const QList<QByteArray> lines = readAll(convert(exported->files, batch::BatchFormat::OpenAi).first()).split('\n');
        QByteArray odd = lines[0] + '\n' + lines[0] + '\n';
        QByteArray foreign = lines[1];
        foreign.replace("\"custom_id\":\"rs", "\"custom_id\":\"other-");
        odd += foreign + '\n';
        // A failed request as OpenAI reports it: counted as failed, left to re-send.
        json failed = json::parse(lines[2].toStdString());
        failed["response"]["status_code"] = 500;
        failed["response"]["body"] = json{{"error", {{"message", "server error"}}}};
        odd += QByteArray::fromStdString(failed.dump()) + '\n';
        auto r = batch::importBatchOutputs(*store, scheduler, {test::writeFile(m_dir, QStringLiteral("ids.out.jsonl"), odd)});
        QVERIFY(r.ok());
        QCOMPARE(r->answered, 1);
        QCOMPARE(r->duplicates.size(), 1);
        QVERIFY(r->duplicates.first().contains(QLatin1String("ids.out.jsonl:2:")));
        QCOMPARE(r->unknown.size(), 1);
        QVERIFY(r->unknown.first().contains(QLatin1String("other-")));
        QCOMPARE(r->failed, 1);
        QVERIFY(r->failures.first().contains(QLatin1String("server error")));
        QCOMPARE(r->remaining, 29);
        QCOMPARE(verdictSet(store->path()).size(), 4);
    }

    void filesSplitAtTheSizeLimit()
    {
        auto store = test::packProject(m_dir, QStringLiteral("size.rubrics"));
        llm::LlmScheduler scheduler(llm::PriceTable(), store.get());
        batch::BatchLimits limits = batch::BatchLimits::forFormat(batch::BatchFormat::Anthropic);
        QCOMPARE(limits.maxRequests, 100000);
        QCOMPARE(limits.maxBytes, qint64(256) << 20);
        limits.maxBytes = 4096;
        auto exported = batch::exportJudgeBatch(*store, scheduler,
                                                config(llm::ProviderKind::Anthropic, judge::JudgeMode::Joint),
                                                batch::BatchFormat::Anthropic, m_dir.filePath(QStringLiteral("size")), limits);
        QVERIFY(exported.ok());
        QVERIFY(exported->files.size() > 1);
        qint64 lines = 0;
        for (const QString &f : exported->files) {
            QVERIFY(QFileInfo(f).size() <= 4096);
            lines += readAll(f).count('\n');
        }
        QCOMPARE(lines, 30);

        // What was sent is recorded per request.
        auto db = store::Database::open(store->path(), store::Database::Mode::ReadOnly);
        QCOMPARE(db->scalar("SELECT count(*) FROM batch_requests WHERE status = 'sent'").value(), 30);
        QCOMPARE(db->scalar("SELECT count(DISTINCT file_index) FROM batch_requests").value(),
                 qint64(exported->files.size()));

        // An OpenAI-format file for an Anthropic provider is refused: the bodies would not fit.
        auto wrong = batch::exportJudgeBatch(*store, scheduler, config(llm::ProviderKind::Anthropic, judge::JudgeMode::Joint),
                                             batch::BatchFormat::OpenAi, m_dir.filePath(QStringLiteral("wrong")), limits);
        QVERIFY(!wrong.ok());
    }

    void cliExportAndImportWithExitCodes()
    {
        const QString project = test::packProject(m_dir, QStringLiteral("cli.rubrics"))->path();
        auto cli = [](const QStringList &args, QByteArray *out = nullptr) {
            QProcess p;
            p.start(QStringLiteral(RS_CLI), args);
            if (!p.waitForFinished(60000))
                return -1;
            if (out)
                *out = p.readAllStandardOutput();
            return p.exitCode();
        };
        const QString dir = m_dir.filePath(QStringLiteral("cli-batch"));
        QByteArray out;
        QCOMPARE(cli({QStringLiteral("batch-export"), project, QStringLiteral("--job"), QStringLiteral("judge"),
                      QStringLiteral("--format"), QStringLiteral("anthropic"), QStringLiteral("--out"), dir,
                      QStringLiteral("--base-url"), m_server.baseUrl() + QStringLiteral("/v1"), QStringLiteral("--model"),
                      QStringLiteral("rs-test-judge"), QStringLiteral("--votes"), QStringLiteral("2"),
                      QStringLiteral("--max-requests"), QStringLiteral("20"), QStringLiteral("--json")},
                     &out),
                 0);
        const json exported = json::parse(out.toStdString());
        QCOMPARE(exported["requests"].get<int>(), 30);
        QStringList files;
        for (const auto &f : exported["files"])
            files << QString::fromStdString(f.get<std::string>());
        QCOMPARE(files.size(), 2);
        const QStringList outputs = convert(files, batch::BatchFormat::Anthropic);
        // Only the first output: 10 requests stay unanswered, which is exit code 3.
        QCOMPARE(cli({QStringLiteral("batch-import"), project, outputs.at(0), QStringLiteral("--json")}, &out), 3);
        QCOMPARE(json::parse(out.toStdString())["remaining"].get<int>(), 10);
        QCOMPARE(cli({QStringLiteral("batch-import"), project, outputs.at(1)}), 0);
        QCOMPARE(verdictSet(project), m_liveVerdicts[0]);
        QCOMPARE(cli({QStringLiteral("batch-status"), project, QStringLiteral("--json")}, &out), 0);
        const json status = json::parse(out.toStdString())["batches"][0];
        QCOMPARE(status["answered"].get<int>(), 30);
        QCOMPARE(status["waiting"].get<int>(), 0);
        QCOMPARE(status["files"].size(), size_t(2));
        // Bad input and unknown jobs are usage errors.
        QCOMPARE(cli({QStringLiteral("batch-export"), project, QStringLiteral("--job"), QStringLiteral("generate"),
                      QStringLiteral("--out"), dir}),
                 2);
        QCOMPARE(cli({QStringLiteral("batch-import"), project, m_dir.filePath(QStringLiteral("missing.jsonl"))}), 1);
    }
};

QTEST_GUILESS_MAIN(BatchJobs)
#include "tst_batchjobs.moc"
