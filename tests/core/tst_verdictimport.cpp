// import-verdicts: verdicts graded elsewhere become a judge run of their own. A studio's own
// export round-trips to the same rewards; lines that cannot be placed are warnings naming the
// file and line; a file with nothing to place leaves the project as it was.
#include "judge/judgerunner.h"
#include "judge/scorereader.h"
#include "llm/llmscheduler.h"
#include "pack/packcodec.h"
#include "pack/verdictexport.h"
#include "pack/verdictimport.h"
#include "packsupport.h"
#include "serverprocess.h"

#include <QStandardPaths>

#include <nlohmann/json.hpp>

using namespace rs;
using nlohmann::json;

namespace {

const char *kTides = "Explain how tides work.";

QByteArray line(const json &j)
{
    return QByteArray::fromStdString(j.dump()) + '\n';
}

json criteria(std::initializer_list<std::pair<const char *, json>> verdicts)
{
    json list = json::array();
    for (const auto &[id, v] : verdicts)
        list.push_back(json{{"id", id}, {"verdict", v}});
    return list;
}

QHash<qint64, double> rewards(const QString &path, qint64 runId)
{
    auto db = store::Database::open(path, store::Database::Mode::ReadOnly);
    judge::ScoreOptions o;
    o.runId = runId;
    auto scores = judge::computeScores(db.value(), o);
    QHash<qint64, double> out;
    if (scores)
        for (const auto &s : scores.value())
            out.insert(s.responseId, s.reward);
    return out;
}

qint64 count(const QString &path, const char *sql)
{
    auto db = store::Database::open(path, store::Database::Mode::ReadOnly);
    return db->scalar(sql).value();
}

} // namespace

class VerdictImport final : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void exportedVerdicts_importAsARunWithTheSameRewards()
    {
        auto store = test::packProject(m_dir, QStringLiteral("round.rubrics"));
        test::ServerProcess server;
        QVERIFY(server.start());
        llm::LlmScheduler scheduler(llm::PriceTable(), store.get());
        judge::JudgeRunner runner(*store, scheduler);
        judge::JudgeConfig c;
        c.provider.name = QStringLiteral("local");
        c.provider.baseUrl = server.baseUrl() + QStringLiteral("/v1");
        c.provider.model = QStringLiteral("rs-test-judge");
        auto judged = runner.run(c, {});
        QVERIFY(judged.ok());
        QCOMPARE(judged->failedCalls, 0);

        pack::VerdictExportOptions out;
        out.out = m_dir.filePath(QStringLiteral("exported.jsonl"));
        {
            auto db = store::Database::open(store->path(), store::Database::Mode::ReadOnly);
            QVERIFY(pack::exportVerdicts(db.value(), out).ok());
        }
        pack::VerdictImportOptions in;
        in.file = out.out;
        in.judge = QStringLiteral("colleague");
        auto imported = pack::importVerdicts(*store, in);
        QVERIFY2(imported.ok(), qPrintable(imported.ok() ? QString() : imported.error().toString()));
        QCOMPARE(imported->warningCount, 0);
        QCOMPARE(imported->responses, 15);
        QCOMPARE(imported->verdicts, 15 * 4);
        QVERIFY(imported->runId != judged->runId);

        const auto original = rewards(store->path(), judged->runId);
        const auto copy = rewards(store->path(), imported->runId);
        QCOMPARE(copy.size(), 15);
        QSet<double> distinct;
        for (auto it = original.cbegin(); it != original.cend(); ++it) {
            QVERIFY(qAbs(copy.value(it.key(), -1) - it.value()) < 1e-12);
            distinct.insert(it.value());
        }
        QVERIFY(distinct.size() >= 3); // the rewards really differ, so equality means something
        QCOMPARE(count(store->path(), "SELECT count(*) FROM judge_runs WHERE provider = 'imported'"
                                      " AND model = 'colleague' AND status = 'complete'"),
                 1);
    }

    void unplaceableLines_areWarningsWithFileAndLine()
    {
        auto store = test::packProject(m_dir, QStringLiteral("warn.rubrics"));
        QByteArray text;
        text += line({{"prompt", kTides}, {"generator", "model-0"},
                      {"criteria", criteria({{"c1", "yes"}, {"c2", false}, {"c3", "maybe"}, {"c9", "yes"}})}});
        text += line({{"prompt", "A prompt that is not there."}, {"generator", "model-0"},
                      {"criteria", criteria({{"c1", "yes"}})}});
        text += line({{"prompt", kTides}, {"generator", "model-7"}, {"criteria", criteria({{"c1", "yes"}})}});
        text += "{not json\n";
        text += line({{"prompt", kTides}, {"generator", "model-0"}, {"criteria", criteria({{"c1", "no"}})}});
        // Found by the pack's prompt hash instead of the text, with a reason kept.
        text += line({{"prompt_hash", pack::codec::promptHash(QString::fromLatin1(kTides)).toStdString()},
                      {"generator", "model-1"},
                      {"criteria", json::array({json{{"id", "c4"}, {"verdict", "no"}, {"reason", "no shortcut"}}})}});
        const QString file = test::writeFile(m_dir, QStringLiteral("mixed.jsonl"), text);

        pack::VerdictImportOptions in;
        in.file = file;
        auto r = pack::importVerdicts(*store, in);
        QVERIFY(r.ok());
        QCOMPARE(r->responses, 2);
        QCOMPARE(r->verdicts, 3); // c1 and c2 of line 1, c4 of line 6
        const QString joined = r->warnings.join(QLatin1Char('\n'));
        const QStringList expected{
            QStringLiteral(":1: criterion \"c3\": verdict is not yes or no"),
            QStringLiteral(":1: criterion \"c9\" is not in the prompt's current rubric"),
            QStringLiteral(":2: no such prompt in the project"),
            QStringLiteral(":3: the prompt has no response from generator \"model-7\""),
            QStringLiteral(":4: not a JSON object"),
            QStringLiteral(":5: the same response was graded on line 1; this line is skipped")};
        for (const QString &e : expected) {
            const QString want = file + e;
            QVERIFY2(joined.contains(want), qPrintable(want + QStringLiteral("\n---\n") + joined));
        }
        QCOMPARE(r->warningCount, 6);
        QCOMPARE(count(store->path(), "SELECT count(*) FROM verdicts WHERE rationale = 'no shortcut'"), 1);
        QCOMPARE(count(store->path(), "SELECT count(*) FROM verdicts"), 3);
    }

    void intoAnExistingRun_addsVerdictsWithoutANewRun()
    {
        // A criterion added after a run was graded is graded into that same run (as an RTD job
        // tops up its run), keeping the verdicts the run had.
        auto store = test::packProject(m_dir, QStringLiteral("topup.rubrics"));
        pack::VerdictImportOptions first;
        first.file = test::writeFile(m_dir, QStringLiteral("first.jsonl"),
                                     line({{"prompt", kTides},
                                           {"generator", "model-0"},
                                           {"criteria", criteria({{"c1", "yes"}, {"c2", "no"}})}}));
        auto created = pack::importVerdicts(*store, first);
        QVERIFY(created.ok());
        pack::VerdictImportOptions more;
        more.file = test::writeFile(m_dir, QStringLiteral("more.jsonl"),
                                    line({{"prompt", kTides},
                                          {"generator", "model-0"},
                                          {"criteria", criteria({{"c3", "yes"}, {"c2", "yes"}})}}));
        more.runId = created->runId;
        auto added = pack::importVerdicts(*store, more);
        QVERIFY2(added.ok(), qPrintable(added.ok() ? QString() : added.error().toString()));
        QCOMPARE(added->runId, created->runId);
        QCOMPARE(count(store->path(), "SELECT count(*) FROM judge_runs"), 1);
        QCOMPARE(count(store->path(), "SELECT count(*) FROM verdicts"), 3); // c2 replaced, c3 added
        QCOMPARE(count(store->path(),
                       "SELECT count(*) FROM verdicts WHERE stable_id = 'c2' AND verdict = 'yes'"),
                 1);

        more.runId = created->runId + 100;
        auto nowhere = pack::importVerdicts(*store, more);
        QVERIFY(!nowhere.ok());
        QVERIFY(nowhere.error().message.contains(QLatin1String("no judge run")));
        QCOMPARE(count(store->path(), "SELECT count(*) FROM verdicts"), 3);
    }

    void nothingPlaceable_isAnErrorAndWritesNothing()
    {
        auto store = test::packProject(m_dir, QStringLiteral("none.rubrics"));
        const QString file = test::writeFile(
            m_dir, QStringLiteral("none.jsonl"),
            line({{"prompt", "Nowhere."}, {"generator", "model-0"}, {"criteria", criteria({{"c1", "yes"}})}}));
        pack::VerdictImportOptions in;
        in.file = file;
        auto r = pack::importVerdicts(*store, in);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().toString().contains(QLatin1String("no such prompt")), qPrintable(r.error().toString()));
        QCOMPARE(count(store->path(), "SELECT count(*) FROM judge_runs"), 0);
        QCOMPARE(count(store->path(), "SELECT count(*) FROM judge_calls"), 0);

        in.file = m_dir.filePath(QStringLiteral("missing.jsonl"));
        auto missing = pack::importVerdicts(*store, in);
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().file, in.file);
    }
};

QTEST_GUILESS_MAIN(VerdictImport)
#include "tst_verdictimport.moc"
