// rs-judge-screenshots: renders the Providers dialog after a Test (of a second test server
// that imitates vLLM, so the capabilities shown are a real server's), the Run Judge dialog and
// the Jobs dock with a judge run in progress, over the demo project judged by the local LLM
// test server, into three PNGs.
//
//   rs-judge-screenshots OUT_DIR
//
// Run it through packaging/screenshot-judge.sh, which gives it throwaway settings folders.

#include "judge/costpreviewer.h"
#include "project/demoproject.h"
#include "jobs/joblistmodel.h"
#include "jobs/jobspanel.h"
#include "judge/judgecontroller.h"
#include "judge/judgejob.h"
#include "judge/judgerundialog.h"
#include "mainwindow.h"
#include "project/projectsession.h"
#include "navigator/promptlistmodel.h"
#include "navigator/promptnavigator.h"
#include "providers/providerlistmodel.h"
#include "providers/providersdialog.h"
#include "serverprocess.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QLabel>
#include <QPixmap>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTest>
#include <QTreeView>

#include <cstdio>

using namespace rs;
using namespace rs::ui;

namespace {

bool waitFor(const std::function<bool()> &ready, int timeoutMs = 60000) {
    QElapsedTimer clock;
    clock.start();
    while (!ready()) {
        if (clock.elapsed() > timeoutMs)
            return false;
        QTest::qWait(20);
    }
    return true;
}

int fail(const char *what) {
    std::fprintf(stderr, "rs-judge-screenshots: %s\n", what);
    return 1;
}

bool save(QWidget *widget, const QString &path) {
    QCoreApplication::sendPostedEvents();
    QTest::qWait(100);
    const QPixmap shot = widget->grab();
    if (shot.isNull() || !shot.save(path, "PNG"))
        return false;
    std::printf("screenshot: %s (%dx%d)\n", qPrintable(path), shot.width(), shot.height());
    return true;
}

} // namespace

int main(int argc, char *argv[]) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("RubricStudio"));
    QApplication::setApplicationName(QStringLiteral("Rubric Studio"));
    if (argc != 2)
        return fail("usage: rs-judge-screenshots OUT_DIR");
    const QDir out(QString::fromLocal8Bit(argv[1]));
    QDir().mkpath(out.absolutePath());

    test::ServerProcess server;
    if (!server.start({QStringLiteral("--latency-ms"), QStringLiteral("250")}))
        return fail("cannot start rs-llm-test-server");
    test::ServerProcess vllm;
    if (!vllm.start({QStringLiteral("--profile"), QStringLiteral("vllm")}))
        return fail("cannot start rs-llm-test-server --profile vllm");
    const QString project = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                            QStringLiteral("/demo.rubrics");
    if (!QFile::exists(project) && !DemoProject::build(project, DemoProject::Verdicts::None))
        return fail("cannot build the demo project");

    MainWindow window;
    window.setLayoutPersistent(false);
    window.show();
    JudgeController *judge = window.judge();

    llm::ProviderConfig local;
    local.name = QStringLiteral("local-judge");
    local.baseUrl = server.baseUrl() + QStringLiteral("/v1");
    local.model = QStringLiteral("rs-test-judge");
    local.maxConcurrency = 3;
    local.timeoutMs = 30000;
    llm::ProviderConfig openai;
    openai.name = QStringLiteral("openai");
    openai.baseUrl = QStringLiteral("https://api.openai.com/v1");
    openai.model = QStringLiteral("gpt-4.1");
    openai.keySource = llm::KeySource::Environment;
    openai.keyEnv = QStringLiteral("OPENAI_API_KEY");
    llm::ProviderConfig served;
    served.name = QStringLiteral("local-vllm");
    served.baseUrl = vllm.baseUrl() + QStringLiteral("/v1");
    served.model = QStringLiteral("qwen3-8b");
    served.maxConcurrency = 16;
    served.timeoutMs = 60000;
    if (!waitFor([judge] { return judge->providers()->isLoaded(); }))
        return fail("providers did not load");
    judge->providers()->setProviders({local, served, openai});

    window.session()->openProject(project);
    if (!waitFor([&window] { return window.navigator()->model()->rowCount() > 0; }))
        return fail("the demo project did not open");
    window.navigator()->selectRow(0);

    // A finished run first, so the jobs panel shows one done and one running.
    judge::JudgeConfig great;
    great.provider = local;
    great.provider.maxConcurrency = 8;
    great.tier = QStringLiteral("great");
    JudgeJob *done =
        judge->startJudge(great, {}, QStringLiteral("Judge · rs-test-judge · joint · great"));
    if (!done || !waitFor([done] { return done->isFinished(); }))
        return fail("the first judge run did not finish");

    // The providers dialog on the vLLM-like provider, after a Test.
    judge->showProviders();
    auto *providers = window.findChild<ProvidersDialog *>();
    if (!providers)
        return fail("no providers dialog");
    providers->selectProvider(served.name);
    providers->testProvider();
    if (!waitFor([providers] {
            return providers->statusLabel()->text().startsWith(QLatin1String("OK"));
        }))
        return fail("the provider test did not answer");
    if (!save(providers, out.filePath(QStringLiteral("screenshot-providers.png"))))
        return fail("cannot save the providers screenshot");
    providers->reject();

    JudgeRunDialog *dialog = judge->showRunDialog();
    if (!dialog)
        return fail("no judge dialog");
    dialog->setProvider(local.name);
    auto *mode = dialog->findChild<QComboBox *>(QStringLiteral("judgeMode"));
    mode->setCurrentIndex(1); // one call per criterion
    dialog->findChild<QSpinBox *>(QStringLiteral("judgeGradings"))->setValue(3);
    auto *scope = dialog->findChild<QComboBox *>(QStringLiteral("judgeScope"));
    if (!waitFor([scope] { return scope->count() > 1; }))
        return fail("the dialog did not list the tiers");
    scope->setCurrentIndex(0);
    QTest::qWait(50);
    if (!waitFor([dialog] { return !dialog->previewer()->isPending(); }))
        return fail("no cost preview");
    if (!save(dialog, out.filePath(QStringLiteral("screenshot-judge-dialog.png"))))
        return fail("cannot save the dialog screenshot");

    dialog->accept();
    JudgeJob *running = judge->jobs()->jobAt(judge->jobs()->rowCount() - 1);
    if (!running || running == done)
        return fail("the judge run did not start");
    if (!waitFor([running] {
            return running->progress().callsDone >= 120 && running->etaSeconds() > 0;
        }))
        return fail("the judge run made no progress");
    if (!save(&window, out.filePath(QStringLiteral("screenshot-jobs.png"))))
        return fail("cannot save the window screenshot");

    running->cancel();
    waitFor([running] { return running->isFinished(); });
    return 0;
}
