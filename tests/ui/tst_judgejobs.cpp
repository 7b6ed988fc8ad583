// Judge jobs against the local LLM test server, offscreen: a run completes with monotonic
// progress and every verdict stored, a cancel stops it promptly and a second start asks for
// exactly what is missing, pause holds calls back, a missing key fails once without storing
// failed verdicts, the jobs panel's model passes the model tester, the cost preview counts
// cached answers after a run, and quitting with a running job asks, cancels and keeps verdicts.

#include "judge/costpreviewer.h"
#include "project/demoproject.h"
#include "jobs/joblistmodel.h"
#include "jobs/jobspanel.h"
#include "judge/judgecontroller.h"
#include "judge/judgejob.h"
#include "judge/judgerundialog.h"
#include "providers/keychainaccess.h"
#include "providers/keychainkeyresolver.h"
#include "llm/keyresolver.h"
#include "mainwindow.h"
#include "project/projectsession.h"
#include "providers/providerlistmodel.h"
#include "common/roles.h"
#include "serverprocess.h"
#include "store/database.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTreeView>

using namespace rs;
using namespace rs::ui;

namespace {

constexpr int kTimeoutMs = 60000;
// The demo project: 32 responses over 7 prompts, 217 response × criterion pairs.
constexpr qint64 kResponses = 32;
constexpr qint64 kVerdicts = 217;
constexpr qint64 kGreatResponses = 13;

judge::JudgeConfig judgeConfig(const test::ServerProcess &server, judge::JudgeMode mode,
                               int concurrency = 8) {
    judge::JudgeConfig c;
    c.provider.name = QStringLiteral("local");
    c.provider.baseUrl = server.baseUrl() + QStringLiteral("/v1");
    c.provider.model = QStringLiteral("rs-test-judge");
    c.provider.maxConcurrency = concurrency;
    c.provider.timeoutMs = 10000;
    c.mode = mode;
    return c;
}

qint64 scalar(const QString &path, const char *sql) {
    auto db = store::Database::open(path, store::Database::Mode::ReadOnly);
    if (!db)
        return -1;
    auto v = db->scalar(sql);
    return v ? v.value() : -1;
}

qint64 answeredVerdicts(const QString &path) {
    return scalar(path, "SELECT count(*) FROM verdicts WHERE verdict IN ('yes', 'no')");
}

/// Collects progress as the jobs panel sees it and checks it only ever moves forward.
struct ProgressLog {
    QList<qint64> done;
    qint64 total = -1;
    bool monotonic = true;
    bool totalStable = true;

    void follow(JudgeJob &job) {
        QObject::connect(&job, &JudgeJob::progressChanged, &job, [this, &job] {
            const judge::JudgeProgress &p = job.progress();
            if (!done.isEmpty() && p.callsDone < done.last())
                monotonic = false;
            if (total >= 0 && p.callsTotal != total)
                totalStable = false;
            total = p.callsTotal;
            done.append(p.callsDone);
        });
    }
};

} // namespace

class TestJudgeJobs final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void run_completesWithMonotonicProgressAndStoresVerdicts();
    void cancel_stopsPromptlyAndTheNextStartAsksForWhatIsMissing();
    void pause_holdsBackCallsUntilResumed();
    void failedCalls_areListedAndAskedAgainByTheNextRun();
    void missingKey_failsOnceWithoutFailedVerdicts();
    void keychainProviderOffscreen_failsWithAClearMessage();
    void costPreview_countsCachedAnswersAfterARun();
    void quittingWhileJudging_asksCancelsAndKeepsVerdicts();

private:
    void openSession(ProjectSession &session);

    QTemporaryDir m_dir;
    QString m_project;
    std::unique_ptr<ProjectSession> m_session;
    int m_projectCount = 0;
};

void TestJudgeJobs::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("RubricStudioTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_judgejobs"));
    QVERIFY(m_dir.isValid());
}

void TestJudgeJobs::init() {
    // A fresh demo project per test: each starts unjudged.
    m_project = m_dir.filePath(QStringLiteral("demo-%1.rubrics").arg(++m_projectCount));
    auto built = DemoProject::build(m_project, DemoProject::Verdicts::None);
    QVERIFY2(built.ok(), qPrintable(built.ok() ? QString() : built.error().toString()));
    QCOMPARE(scalar(m_project, "SELECT count(*) FROM responses"), kResponses);
    m_session = std::make_unique<ProjectSession>();
    openSession(*m_session);
}

void TestJudgeJobs::cleanup() {
    m_session.reset();
    QSettings().clear();
}

void TestJudgeJobs::openSession(ProjectSession &session) {
    QSignalSpy opened(&session, &ProjectSession::projectOpened);
    session.openProject(m_project);
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, kTimeoutMs);
}

void TestJudgeJobs::run_completesWithMonotonicProgressAndStoresVerdicts() {
    test::ServerProcess server;
    QVERIFY2(server.start({QStringLiteral("--latency-ms"), QStringLiteral("20")}),
             qPrintable(server.errorString()));
    JobListModel jobs;
    QAbstractItemModelTester tester(&jobs, QAbstractItemModelTester::FailureReportingMode::QtTest);

    JudgeJob job(*m_session, std::make_shared<llm::KeyResolver>());
    job.setName(QStringLiteral("Judge · joint"));
    jobs.addJob(&job);
    ProgressLog log;
    log.follow(job);
    QSignalSpy finished(&job, &JudgeJob::finished);
    QSignalSpy changed(m_session.get(), &ProjectSession::projectChanged);
    QVERIFY(job.start(judgeConfig(server, judge::JudgeMode::Joint, 4), {}));
    QVERIFY(m_session->isBusy()); // no project switch under a running job
    QVERIFY(!job.start(judgeConfig(server, judge::JudgeMode::Joint), {})); // runs once
    QCOMPARE(jobs.activeCount(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeoutMs);

    QCOMPARE(job.state(), JudgeJob::State::Completed);
    QCOMPARE(job.summary().callsPlanned, kResponses); // joint: one call per response
    QCOMPARE(job.summary().callsDone, kResponses);
    QCOMPARE(job.summary().failedCalls, 0);
    QCOMPARE(job.summary().verdictsStored, kVerdicts);
    QCOMPARE(answeredVerdicts(m_project), kVerdicts);
    QVERIFY(log.monotonic);
    QVERIFY(log.totalStable);
    QVERIFY(log.done.size() >= 2);
    QCOMPARE(log.done.last(), kResponses);
    QCOMPARE(log.total, kResponses);
    QVERIFY(job.progress().tokens > 0);
    QVERIFY(!m_session->isBusy());
    QCOMPARE(changed.count(), 1); // the views reload once the run is stored

    // The panel's row reads like the sketch: 32 / 32, tokens, unpriced model, done.
    QCOMPARE(jobs.rowCount(), 1);
    QCOMPARE(jobs.index(0, JobListModel::CountColumn).data().toString(), QStringLiteral("32 / 32"));
    QCOMPARE(jobs.index(0, JobListModel::ProgressColumn).data(JobProgressRole).toInt(), 1000);
    QCOMPARE(jobs.index(0, JobListModel::CostColumn).data().toString(), QStringLiteral("unpriced"));
    QVERIFY(
        jobs.index(0, JobListModel::TokensColumn).data().toString().endsWith(QLatin1String("tok")));
    QVERIFY(
        jobs.index(0, JobListModel::StateColumn).data().toString().contains(QLatin1String("217")));
    QCOMPARE(jobs.activeCount(), 0);
}

void TestJudgeJobs::cancel_stopsPromptlyAndTheNextStartAsksForWhatIsMissing() {
    // One call per criterion, slowly: 217 calls at ~100 ms, two at a time.
    test::ServerProcess server;
    QVERIFY2(server.start({QStringLiteral("--latency-ms"), QStringLiteral("100")}),
             qPrintable(server.errorString()));
    const judge::JudgeConfig config = judgeConfig(server, judge::JudgeMode::PerCriterion, 2);
    JobListModel jobs;
    QAbstractItemModelTester tester(&jobs, QAbstractItemModelTester::FailureReportingMode::QtTest);

    auto first = std::make_unique<JudgeJob>(*m_session, std::make_shared<llm::KeyResolver>());
    jobs.addJob(first.get());
    ProgressLog log;
    log.follow(*first);
    QSignalSpy firstDone(first.get(), &JudgeJob::finished);
    QVERIFY(first->start(config, {}));
    QTRY_VERIFY_WITH_TIMEOUT(first->progress().callsDone >= 12, kTimeoutMs);
    QCOMPARE(first->state(), JudgeJob::State::Running);
    // After a second of throughput the ETA is the rest at that pace (how many seconds depends
    // on the machine, so only that there is one is checked).
    QTRY_VERIFY_WITH_TIMEOUT(
        jobs.index(0, JobListModel::EtaColumn).data().toString().startsWith(QLatin1String("ETA")),
        kTimeoutMs);
    QVERIFY2(first->etaSeconds() > 0, qPrintable(QString::number(first->etaSeconds())));
    first->cancel();
    QCOMPARE(first->state(), JudgeJob::State::Cancelling);
    QTRY_COMPARE_WITH_TIMEOUT(firstDone.count(), 1, kTimeoutMs);
    QCOMPARE(first->state(), JudgeJob::State::Cancelled);
    QVERIFY(first->summary().cancelled);
    QVERIFY(log.monotonic);
    const qint64 stored = answeredVerdicts(m_project);
    QVERIFY(stored >= 12 && stored < kVerdicts);
    QVERIFY(!m_session->isBusy());

    // Deleting a finished job takes its row away.
    first.reset();
    QCOMPARE(jobs.rowCount(), 0);

    JudgeJob second(*m_session, std::make_shared<llm::KeyResolver>());
    jobs.addJob(&second);
    QSignalSpy secondDone(&second, &JudgeJob::finished);
    judge::JudgeConfig fast = config;
    fast.provider.maxConcurrency = 8; // concurrency is not part of the run's identity
    QVERIFY(second.start(fast, {}));
    QTRY_COMPARE_WITH_TIMEOUT(secondDone.count(), 1, kTimeoutMs);
    QCOMPARE(second.state(), JudgeJob::State::Completed);
    QCOMPARE(second.summary().verdictsBefore, stored);
    QCOMPARE(second.summary().callsPlanned, kVerdicts - stored); // per criterion: 1 call each
    QCOMPARE(second.summary().verdictsWanted, kVerdicts);
    QCOMPARE(answeredVerdicts(m_project), kVerdicts);
}

void TestJudgeJobs::pause_holdsBackCallsUntilResumed() {
    test::ServerProcess server;
    QVERIFY2(server.start({QStringLiteral("--latency-ms"), QStringLiteral("80")}),
             qPrintable(server.errorString()));
    JobListModel jobs;
    JobsPanel panel(&jobs);
    JudgeJob job(*m_session, std::make_shared<llm::KeyResolver>());
    jobs.addJob(&job);
    panel.selectJob(&job);
    QSignalSpy finished(&job, &JudgeJob::finished);
    QVERIFY(job.start(judgeConfig(server, judge::JudgeMode::Joint, 1), {}));
    QTRY_VERIFY_WITH_TIMEOUT(job.progress().callsDone >= 3, kTimeoutMs);
    QVERIFY(panel.pauseButton()->isEnabled());
    QCOMPARE(panel.pauseButton()->text(), QStringLiteral("Pause"));
    panel.pauseButton()->click();
    QCOMPARE(job.state(), JudgeJob::State::Paused);
    QCOMPARE(panel.pauseButton()->text(), QStringLiteral("Resume"));
    QCOMPARE(jobs.index(0, JobListModel::EtaColumn).data().toString(), QStringLiteral("paused"));
    QTest::qWait(500); // the call in flight lands
    const qint64 held = job.progress().callsDone;
    QTest::qWait(800); // ten calls' worth of time: nothing new is sent
    QCOMPARE(job.progress().callsDone, held);
    QVERIFY(held < kResponses);

    panel.pauseButton()->click();
    QCOMPARE(job.state(), JudgeJob::State::Running);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeoutMs);
    QCOMPARE(job.state(), JudgeJob::State::Completed);
    QCOMPARE(answeredVerdicts(m_project), kVerdicts);
    QVERIFY(!panel.pauseButton()->isEnabled());
}

void TestJudgeJobs::failedCalls_areListedAndAskedAgainByTheNextRun() {
    // The first three calls get HTTP 500 and, with no retries, fail; the rest succeed.
    const QString script = m_dir.filePath(QStringLiteral("three-500s.txt"));
    QFile f(script);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("500\n500\n500\n");
    f.close();
    test::ServerProcess server;
    QVERIFY2(server.start({QStringLiteral("--script"), script}), qPrintable(server.errorString()));
    judge::JudgeConfig config = judgeConfig(server, judge::JudgeMode::Joint, 1);
    config.provider.maxRetries = 0;

    JobListModel jobs;
    QAbstractItemModelTester tester(&jobs, QAbstractItemModelTester::FailureReportingMode::QtTest);
    JobsPanel panel(&jobs);
    JudgeJob job(*m_session, std::make_shared<llm::KeyResolver>());
    jobs.addJob(&job);
    panel.selectJob(&job);
    QSignalSpy finished(&job, &JudgeJob::finished);
    QVERIFY(job.start(config, {}));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeoutMs);
    QCOMPARE(job.state(), JudgeJob::State::Incomplete);
    QCOMPARE(job.summary().failedCalls, 3);
    QCOMPARE(job.failures().size(), 3);
    QVERIFY2(job.failures().first().contains(QLatin1String("500")),
             qPrintable(job.failures().first()));
    const QModelIndex state = jobs.index(0, JobListModel::StateColumn);
    QCOMPARE(state.data().toString(), QStringLiteral("Done · 3 failed calls"));
    QVERIFY(state.data(Qt::ForegroundRole).isValid());
    QVERIFY(state.data(Qt::ToolTipRole).toString().contains(QLatin1String("Double-click")));

    // The panel lists them.
    QVERIFY(panel.failuresButton()->isEnabled());
    panel.failuresButton()->click();
    QPlainTextEdit *text = nullptr;
    QTRY_VERIFY((text = panel.findChild<QPlainTextEdit *>()));
    QCOMPARE(text->toPlainText().count(QLatin1Char('\n')), 2);
    QVERIFY(text->toPlainText().contains(QLatin1String("response ")));

    // The next run with the same settings asks exactly the three failed calls again.
    JudgeJob again(*m_session, std::make_shared<llm::KeyResolver>());
    QSignalSpy againDone(&again, &JudgeJob::finished);
    QVERIFY(again.start(config, {}));
    QTRY_COMPARE_WITH_TIMEOUT(againDone.count(), 1, kTimeoutMs);
    QCOMPARE(again.summary().callsPlanned, 3);
    QCOMPARE(again.state(), JudgeJob::State::Completed);
    QCOMPARE(answeredVerdicts(m_project), kVerdicts);
}

void TestJudgeJobs::missingKey_failsOnceWithoutFailedVerdicts() {
    test::ServerProcess server;
    QVERIFY(server.start());
    judge::JudgeConfig config = judgeConfig(server, judge::JudgeMode::Joint);
    config.provider.keySource = llm::KeySource::Environment;
    config.provider.keyEnv = QStringLiteral("RS_TEST_UNSET_KEY_VARIABLE");
    qunsetenv("RS_TEST_UNSET_KEY_VARIABLE");
    JudgeJob job(*m_session, std::make_shared<llm::KeyResolver>());
    QSignalSpy finished(&job, &JudgeJob::finished);
    QVERIFY(job.start(config, {}));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeoutMs);
    QCOMPARE(job.state(), JudgeJob::State::Failed);
    QVERIFY2(job.errorText().contains(QLatin1String("RS_TEST_UNSET_KEY_VARIABLE")),
             qPrintable(job.errorText()));
    QCOMPARE(job.failures(), QStringList{job.errorText()});
    QCOMPARE(scalar(m_project, "SELECT count(*) FROM verdicts"), 0);
    QCOMPARE(scalar(m_project, "SELECT count(*) FROM judge_calls"), 0);
}

void TestJudgeJobs::keychainProviderOffscreen_failsWithAClearMessage() {
    test::ServerProcess server;
    QVERIFY(server.start());
    KeychainAccess access;
    access.setTimeout(4000);
    auto keys = std::make_shared<KeychainKeyResolver>(&access);
    judge::JudgeConfig config = judgeConfig(server, judge::JudgeMode::Joint);
    config.provider.name =
        QStringLiteral("rs-test-keychain-judge-%1").arg(QCoreApplication::applicationPid());
    config.provider.keySource = llm::KeySource::Keychain;
    JudgeJob job(*m_session, keys);
    QSignalSpy finished(&job, &JudgeJob::finished);
    QVERIFY(job.start(config, {}));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 15000);
    QCOMPARE(job.state(), JudgeJob::State::Failed);
    QVERIFY2(job.errorText().contains(QLatin1String("keychain")), qPrintable(job.errorText()));
    QCOMPARE(scalar(m_project, "SELECT count(*) FROM judge_calls"), 0);
}

void TestJudgeJobs::costPreview_countsCachedAnswersAfterARun() {
    test::ServerProcess server;
    QVERIFY(server.start());
    judge::JudgeConfig great = judgeConfig(server, judge::JudgeMode::Joint);
    great.tier = QStringLiteral("great");
    JudgeJob job(*m_session, std::make_shared<llm::KeyResolver>());
    QSignalSpy finished(&job, &JudgeJob::finished);
    QVERIFY(job.start(great, {}));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeoutMs);
    QCOMPARE(job.summary().callsDone, kGreatResponses);

    // The dialog over all responses: the great ones are answered from the cache.
    ProviderListModel providers(m_dir.filePath(QStringLiteral("preview-providers.json")));
    providers.setProviders({great.provider});
    JudgeRunDialog dialog(*m_session, &providers);
    QSignalSpy ready(dialog.previewer(), &CostPreviewer::ready);
    dialog.setProvider(great.provider.name);
    auto *scope = dialog.findChild<QComboBox *>(QStringLiteral("judgeScope"));
    QTRY_VERIFY_WITH_TIMEOUT(scope->count() == 4, kTimeoutMs); // all, great, good, base
    QVERIFY(scope->itemText(0).contains(QLatin1String("32")));
    QCOMPARE(scope->currentIndex(), 0);
    QCOMPARE(dialog.config().tier, QString());
    QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty() && !dialog.previewer()->isPending(), kTimeoutMs);
    const QString text = dialog.previewLabel()->text();
    QVERIFY2(text.contains(QLatin1String("32 calls")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("13 answered from the cache")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("19 to send")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("unpriced")), qPrintable(text));
    QVERIFY(dialog.startButton()->isEnabled());

    // Bypassing the cache sends them all again.
    ready.clear();
    for (QCheckBox *check : dialog.findChildren<QCheckBox *>())
        if (check->text().contains(QLatin1String("Bypass")))
            check->setChecked(true);
    QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty() && !dialog.previewer()->isPending(), kTimeoutMs);
    QVERIFY2(dialog.previewLabel()->text().contains(QLatin1String("32 to send")),
             qPrintable(dialog.previewLabel()->text()));
    QVERIFY(dialog.options().bypassCache);

    // The run already judged: nothing to do, and Start says so by being disabled.
    for (QCheckBox *check : dialog.findChildren<QCheckBox *>())
        check->setChecked(false);
    ready.clear();
    scope->setCurrentIndex(scope->findData(QStringLiteral("great")));
    QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty() && !dialog.previewer()->isPending(), kTimeoutMs);
    QVERIFY2(dialog.previewLabel()->text().contains(QLatin1String("Nothing to judge")),
             qPrintable(dialog.previewLabel()->text()));
    QVERIFY(!dialog.startButton()->isEnabled());
    QCOMPARE(dialog.config().tier, QStringLiteral("great"));
    QVERIFY(dialog.jobName().contains(QLatin1String("rs-test-judge")));
    QVERIFY(!m_session->isBusy() || dialog.previewer()->isPending());
}

void TestJudgeJobs::quittingWhileJudging_asksCancelsAndKeepsVerdicts() {
    m_session.reset(); // the window has its own session
    test::ServerProcess server;
    QVERIFY2(server.start({QStringLiteral("--latency-ms"), QStringLiteral("100")}),
             qPrintable(server.errorString()));
    MainWindow window;
    window.setLayoutPersistent(false);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    openSession(*window.session());
    JudgeController *judge = window.judge();
    QVERIFY(judge->runJudgeAction()->isEnabled());
    QVERIFY(judge->jobsDock()->isVisible());

    JudgeJob *job = judge->startJudge(judgeConfig(server, judge::JudgeMode::PerCriterion, 2), {},
                                      QStringLiteral("Judge · per criterion"));
    QVERIFY(job);
    // The same run twice at once is refused.
    QVERIFY(!judge->startJudge(judgeConfig(server, judge::JudgeMode::PerCriterion, 2), {},
                               QStringLiteral("again")));
    QCOMPARE(judge->jobsPanel()->currentJob(), job);
    QTRY_VERIFY_WITH_TIMEOUT(job->progress().callsDone >= 5, kTimeoutMs);

    QVERIFY(!window.close()); // asks instead
    QVERIFY(window.isVisible());
    QMessageBox *question = nullptr;
    QTRY_VERIFY((question = window.findChild<QMessageBox *>(QStringLiteral("closeWhileJudging"))));
    QVERIFY(question->text().contains(QLatin1String("still running")));

    // "Keep Running" keeps it running.
    QAbstractButton *keep = nullptr;
    QAbstractButton *quit = nullptr;
    for (QAbstractButton *b : question->buttons())
        (b->text().contains(QLatin1String("Keep")) ? keep : quit) = b;
    QVERIFY(keep && quit);
    keep->click();
    QTRY_VERIFY(!window.findChild<QMessageBox *>(QStringLiteral("closeWhileJudging")));
    QVERIFY(job->isActive());

    QVERIFY(!window.close());
    QTRY_VERIFY((question = window.findChild<QMessageBox *>(QStringLiteral("closeWhileJudging"))));
    for (QAbstractButton *b : question->buttons())
        if (!b->text().contains(QLatin1String("Keep")))
            b->click();
    QTRY_VERIFY_WITH_TIMEOUT(!window.isVisible(), 5000); // closed once the job stopped
    QCOMPARE(job->state(), JudgeJob::State::Cancelled);
    const qint64 kept = answeredVerdicts(m_project);
    QVERIFY(kept >= 5 && kept < kVerdicts);
}

QTEST_MAIN(TestJudgeJobs)
#include "tst_judgejobs.moc"
