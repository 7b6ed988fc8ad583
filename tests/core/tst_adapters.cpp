// The trainer adapters `export` writes, called the way their trainers call them, against the
// `serve` binary. verl (by keyword, sync and async), OpenRLHF's reward file (positionally,
// lists of one) and verifiers v1 (an async taskset reward) give the server's own reward with
// their fixed log keys, and raise an error naming the item when the judge cannot be reached.
// TRL's GRPOTrainer passes its TrainerState, and its global_step is the step the rewards are
// logged under; without one (AsyncGRPOTrainer) the server infers the step. Needs python3
// (standard library only).
#include "serveprocess.h"
#include "serverprocess.h"
#include "servesupport.h"
#include "testsupport.h"

#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

#include <nlohmann/json.hpp>

#include <set>
#include <string>

using namespace rs;

class AdaptersTest final : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    /// `export --format FORMAT` of `project` into a folder of its own; empty when it fails.
    QString exportAdapter(const QString &project, const QString &format) {
        const QString out =
            m_dir.filePath(QFileInfo(project).baseName() + QLatin1Char('-') + format);
        QProcess exporter;
        exporter.start(QStringLiteral(RS_CLI),
                       {QStringLiteral("export"), project, QStringLiteral("--format"), format,
                        QStringLiteral("--out"), out});
        if (!exporter.waitForFinished(60000) || exporter.exitCode() != 0) {
            qWarning("export --format %s: %s", qPrintable(format),
                     exporter.readAllStandardError().constData());
            return {};
        }
        return out;
    }

    /// Runs `python` on `script` with `args`, the adapters pointed at the server on `port`;
    /// what it printed, as JSON (discarded when it failed).
    static nlohmann::json runAdapters(const QString &python, const QString &script,
                                      const QStringList &args, quint16 port) {
        QProcess py;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("RS_REWARD_URL"),
                   QStringLiteral("http://127.0.0.1:%1").arg(port));
        py.setProcessEnvironment(env);
        py.start(python, QStringList{script} << args);
        if (!py.waitForFinished(120000) || py.exitCode() != 0) {
            qWarning("%s: %s", qPrintable(script), py.readAllStandardError().constData());
            return nlohmann::json::value_t::discarded;
        }
        return nlohmann::json::parse(py.readAllStandardOutput().toStdString(), nullptr, false);
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void trl_trainerStepReachesTheLog() {
        const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
        if (python.isEmpty())
            QSKIP("python3 not found");
        // Closed at once: serve and export own the project from here.
        const QString project = test::newServeProject(m_dir, QStringLiteral("trl.rubrics"))->path();
        const QString out = exportAdapter(project, QStringLiteral("trl"));
        QVERIFY(!out.isEmpty());

        test::ServerProcess judge;
        QVERIFY2(judge.start({}), qPrintable(judge.errorString()));
        test::ServeProcess serve;
        // A gap no test run reaches: every request without a step is in the first step.
        QVERIFY(serve.start(project, judge.baseUrl() + QStringLiteral("/v1"),
                            m_dir.filePath(QStringLiteral("serve.out")),
                            {QStringLiteral("--step-gap"), QStringLiteral("600")}));

        // As GRPOTrainer calls a reward function: keywords only, completion_ids, the dataset's
        // other columns, trainer_state, log_extra and log_metric; first as AsyncGRPOTrainer
        // does, without the last three.
        const QString script = test::writeFile(m_dir, QStringLiteral("call_trl.py"), R"py(
import json, sys
sys.path.insert(0, sys.argv[1])
import rubric_reward_trl as m

class TrainerState:
    def __init__(self, global_step):
        self.global_step = global_step

prompts = ["Give an example of a prime number."] * 2
first = m.rubric_reward(prompts=prompts, completions=["Two, for example.", "Three, you see."],
                        completion_ids=[[1], [2]], extra_column=["a", "b"])
logged = {}
second = m.rubric_reward(prompts=prompts,
                         completions=["For example, 7 is prime.", "You could take 11."],
                         completion_ids=[[1], [2]], extra_column=["a", "b"],
                         trainer_state=TrainerState(12),
                         log_extra=lambda k, v: logged.__setitem__(k, v),
                         log_metric=lambda k, v: None)
print(json.dumps({"first": first, "second": second, "logged": sorted(logged)}))
)py");
        const auto got = runAdapters(python, script, {out}, serve.port);
        QVERIFY(got.is_object());
        QCOMPARE(got["first"].size(), std::size_t(2));
        QCOMPARE(got["second"].size(), std::size_t(2));
        for (const auto &v : got["second"])
            QVERIFY(v.is_number());
        QVERIFY(!got["logged"].empty());
        QCOMPARE(serve.stop(SIGTERM), 0);
        // The first batch in the inferred first step, the second under the trainer's own.
        QCOMPARE(test::servedSteps(project), (QList<qint64>{1, 1, 12, 12}));
    }

    void everyAdapter_calledAsItsTrainerCallsIt_givesTheServersReward() {
        const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
        if (python.isEmpty())
            QSKIP("python3 not found");
        const QString project = test::newServeProject(m_dir, QStringLiteral("all.rubrics"))->path();
        QStringList folders;
        for (const char *format : {"verl", "openrlhf", "verifiers"}) {
            folders << exportAdapter(project, QLatin1String(format));
            QVERIFY(!folders.back().isEmpty());
        }
        test::ServerProcess judge;
        QVERIFY2(judge.start({}), qPrintable(judge.errorString()));
        test::ServeProcess serve;
        QVERIFY(serve.start(project, judge.baseUrl() + QStringLiteral("/v1"),
                            m_dir.filePath(QStringLiteral("all.out"))));
        // A second server whose judge cannot be reached: every new response fails to judge.
        test::ServeProcess broken;
        QVERIFY(broken.start(project, QStringLiteral("http://127.0.0.1:1/v1"),
                             m_dir.filePath(QStringLiteral("broken.out"))));

        // Each called exactly as its trainer calls it (../shared/integrations.md): verl by
        // keyword with the exported row, OpenRLHF's file positionally with lists of one and the
        // response inside the rendered query, verifiers v1 as an async taskset reward.
        const QString script = test::writeFile(m_dir, QStringLiteral("call_all.py"), R"py(
import asyncio, importlib, json, os, sys

def load(folder, name):
    sys.path.insert(0, folder)
    try:
        return importlib.import_module(name)
    finally:
        sys.path.pop(0)

verl = load(sys.argv[1], "rubric_reward_verl")
orl = load(sys.argv[2], "rubric_reward_openrlhf")
vf = load(sys.argv[3], "rubric_studio_verifiers")
row = json.loads(open(os.path.join(sys.argv[1], "train.jsonl")).readline())
prompt = row["extra_info"]["prompt"]
response = "For example, you could take 7."
expected = verl.rubric_rewards([{"prompt": prompt, "response": response}])[0]["reward"]
kw = dict(data_source=row["data_source"], solution_str=response,
          ground_truth=row["reward_model"]["ground_truth"], extra_info=row["extra_info"])
out = {"expected": expected,
       "verl": verl.compute_score(**kw, num_turns=1),
       "verl_async": asyncio.run(verl.compute_score_async(**kw))}
rendered = "<|im_start|>user\n" + prompt + "<|im_end|>\n<|im_start|>assistant\n"
out["openrlhf"] = orl.reward_func([rendered + response + "<|im_end|>"], [rendered],
                                  [row["reward_model"]["ground_truth"]])
metrics = {}
class Task:
    prompt_text = prompt
class Trace:
    last_reply = [{"role": "assistant", "content": response}]
    def record_metric(self, name, value):
        metrics[name] = value
out["verifiers"] = asyncio.run(vf.rubric_reward(Task(), Trace()))
out["metrics"] = sorted(metrics)
# The judge unreachable: an error naming the item, never a score of 0.
os.environ["RS_REWARD_URL"] = sys.argv[4]
try:
    verl.compute_score(**dict(kw, solution_str="A response never judged before."))
    out["failure"] = None
except verl.RewardError as e:
    out["failure"] = str(e)
print(json.dumps(out))
)py");
        const auto got = runAdapters(python, script,
                                     QStringList(folders)
                                         << QStringLiteral("http://127.0.0.1:%1").arg(broken.port),
                                     serve.port);
        QVERIFY(got.is_object());
        const double expected = got["expected"].get<double>();
        QVERIFY(expected > 0); // the response meets the fixture's "example" and "you" criteria
        // verl: {"score"} plus the fixed scalar keys, whichever reward manager calls it.
        for (const char *key : {"verl", "verl_async"}) {
            const auto &r = got[key];
            QCOMPARE(r["score"].get<double>(), expected);
            std::set<std::string> keys;
            for (const auto &[k, v] : r.items())
                keys.insert(k);
            QCOMPARE(keys,
                     (std::set<std::string>{"score", "reward_soft", "pass_fraction", "cached"}));
        }
        QCOMPARE(got["openrlhf"]["rewards"][0].get<double>(), expected);
        QCOMPARE(got["openrlhf"]["scores"].size(), std::size_t(1));
        QVERIFY(got["openrlhf"]["extra_logs"].contains("pass_fraction"));
        QCOMPARE(got["verifiers"].get<double>(), expected);
        QVERIFY2(got["metrics"] == nlohmann::json({"rubric_cached", "rubric_pass_fraction",
                                                   "rubric_reward_soft"}),
                 got["metrics"].dump().c_str());
        QVERIFY2(got["failure"].is_string(), got.dump().c_str());
        QVERIFY2(got["failure"].get<std::string>().find("prompt ") != std::string::npos,
                 got.dump().c_str());
        QCOMPARE(serve.stop(SIGTERM), 0);
        QCOMPARE(broken.stop(SIGTERM), 0);
    }
};

QTEST_GUILESS_MAIN(AdaptersTest)
#include "tst_adapters.moc"
