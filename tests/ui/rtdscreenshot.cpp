// rs-rtd-screenshot: renders the RTD tab (the rounds of a prompt, the pair of a proposed round
// side by side with their verdicts, and the proposed rubric change as a diff with one change
// rejected) over the demo project refined against the local LLM test server, into
// OUT_DIR/screenshot-rtd.png.
//
//   rs-rtd-screenshot OUT_DIR
//
// Run it through packaging/screenshot-rtd.sh, which gives it throwaway settings folders.

#include "judge/judgecontroller.h"
#include "mainwindow.h"
#include "project/projectsession.h"
#include "navigator/promptlistmodel.h"
#include "navigator/promptnavigator.h"
#include "providers/providerlistmodel.h"
#include "rtd/rtdpanel.h"
#include "rtd/rtdproposalmodel.h"
#include "rtdproject.h"
#include "rtd/rtdroundmodel.h"

#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QPixmap>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

#include <cstdio>

using namespace rs;
using namespace rs::ui;

namespace {

bool waitFor(const std::function<bool()> &ready, int timeoutMs = 60000)
{
    QElapsedTimer clock;
    clock.start();
    while (!ready()) {
        if (clock.elapsed() > timeoutMs)
            return false;
        QTest::qWait(20);
    }
    return true;
}

int fail(const QString &what)
{
    std::fprintf(stderr, "rs-rtd-screenshot: %s\n", qPrintable(what));
    return 1;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("RubricStudio"));
    QApplication::setApplicationName(QStringLiteral("Rubric Studio"));
    if (argc != 2)
        return fail(QStringLiteral("usage: rs-rtd-screenshot OUT_DIR"));
    const QDir out(QString::fromLocal8Bit(argv[1]));
    QDir().mkpath(out.absolutePath());

    const QString dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dataDir);
    const QString project = dataDir + QStringLiteral("/rtd-demo.rubrics");
    QFile::remove(project);
    test::ServerProcess server;
    if (!server.start({QStringLiteral("--latency-ms"), QStringLiteral("5")}))
        return fail(server.errorString());
    if (const QString e = test::buildRefinedDemo(project, server, 1); !e.isEmpty())
        return fail(e);

    MainWindow window;
    window.setLayoutPersistent(false);
    window.resize(1600, 950);
    if (!waitFor([&] { return window.judge()->providers()->isLoaded(); }))
        return fail(QStringLiteral("providers did not load"));
    window.judge()->providers()->setProviders({test::rtdProvider(server)});
    for (QDockWidget *dock : window.findChildren<QDockWidget *>())
        if (dock->windowTitle() == QLatin1String("Inspector"))
            dock->hide();
    window.show();
    window.session()->openProject(project);
    if (!waitFor([&window] { return window.navigator()->model()->rowCount() > 0; }))
        return fail(QStringLiteral("the project did not open"));
    RtdPanel *panel = window.rtdPanel();
    window.tabs()->setCurrentWidget(panel);
    window.navigator()->selectRow(0);
    if (!waitFor([&] { return panel->roundModel()->rowCount() == 1; }))
        return fail(QStringLiteral("the rounds did not load"));

    // Round 2 proposed through the panel's job, then one change rejected by hand.
    bool shown = false;
    QObject::connect(panel, &RtdPanel::proposalShown, [&shown] { shown = true; });
    panel->proposeRound();
    if (!waitFor([&] { return shown; }))
        return fail(QStringLiteral("no proposal arrived"));
    RtdProposalModel *m = panel->proposalModel();
    for (int row = 0; row < m->rowCount(); ++row)
        if (m->flags(m->index(row, RtdProposalModel::AcceptColumn)) & Qt::ItemIsUserCheckable) {
            m->setData(m->index(row, RtdProposalModel::AcceptColumn), Qt::Unchecked, Qt::CheckStateRole);
            break;
        }
    panel->proposalView()->resizeRowsToContents();
    QTest::qWait(400);
    QCoreApplication::sendPostedEvents();
    const QString file = out.filePath(QStringLiteral("screenshot-rtd.png"));
    const QPixmap shot = window.grab();
    if (shot.isNull() || !shot.save(file, "PNG"))
        return fail(QStringLiteral("cannot save ") + file);
    std::printf("screenshot: %s (%dx%d)\n", qPrintable(file), shot.width(), shot.height());
    return 0;
}
