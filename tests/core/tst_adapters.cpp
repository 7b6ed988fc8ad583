// The trainer adapters `export` writes, called the way their trainers call them, against the
// `serve` binary: what reaches the served-rewards log. TRL's GRPOTrainer passes its
// TrainerState, and its global_step is the step the rewards are logged under; without one
// (AsyncGRPOTrainer) the server infers the step. Needs python3 (standard library only).
#include "serveprocess.h"
#include "serverprocess.h"
#include "servesupport.h"
#include "store/database.h"
#include "testsupport.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace rs;

class AdaptersTest final : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void trl_trainerStepReachesTheLog() {
        const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
        if (python.isEmpty())
            QSKIP("python3 not found");
        auto store = test::newProject(m_dir, QStringLiteral("trl.rubrics"));
        test::fillServeProject(*store, m_dir, QStringLiteral("trl.rubrics"));
        const QString project = store->path();
        store.reset(); // serve and export own the project from here

        QProcess exporter;
        const QString out = m_dir.filePath(QStringLiteral("trl"));
        exporter.start(QStringLiteral(RS_CLI),
                       {QStringLiteral("export"), project, QStringLiteral("--format"),
                        QStringLiteral("trl"), QStringLiteral("--out"), out});
        QVERIFY(exporter.waitForFinished(60000));
        QVERIFY2(exporter.exitCode() == 0, exporter.readAllStandardError().constData());

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
        QProcess py;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("RS_REWARD_URL"),
                   QStringLiteral("http://127.0.0.1:%1").arg(serve.port));
        py.setProcessEnvironment(env);
        py.start(python, {script, out});
        QVERIFY(py.waitForFinished(120000));
        QVERIFY2(py.exitCode() == 0, py.readAllStandardError().constData());
        const auto got = nlohmann::json::parse(py.readAllStandardOutput().toStdString());
        QCOMPARE(got["first"].size(), std::size_t(2));
        QCOMPARE(got["second"].size(), std::size_t(2));
        for (const auto &v : got["second"])
            QVERIFY(v.is_number());
        QVERIFY(!got["logged"].empty());
        QCOMPARE(serve.stop(SIGTERM), 0);

        auto db = store::Database::open(project, store::Database::Mode::ReadOnly);
        QVERIFY(db);
        auto st = db->prepare("SELECT coalesce(step, -1) FROM served_rewards ORDER BY id");
        QVERIFY(st);
        QList<qint64> steps;
        QVERIFY(st->forEach([&] { steps << st->columnInt(0); }));
        // The first batch in the inferred first step, the second under the trainer's own.
        QCOMPARE(steps, (QList<qint64>{1, 1, 12, 12}));
    }
};

QTEST_GUILESS_MAIN(AdaptersTest)
#include "tst_adapters.moc"
