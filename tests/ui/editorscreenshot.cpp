// rs-editor-screenshot: renders the Rubric tab (criteria with lint badges, yes-rate by tier
// and dead flags, the version history and a diff between two versions) over the demo project
// judged by the local LLM test server, into OUT_DIR/screenshot-editor.png.
//
//   rs-editor-screenshot OUT_DIR
//
// Run it through packaging/screenshot-editor.sh, which gives it throwaway settings folders.

#include "judgedproject.h"
#include "mainwindow.h"
#include "project/projectsession.h"
#include "navigator/promptlistmodel.h"
#include "navigator/promptnavigator.h"
#include "rubric/rubricversions.h"
#include "rubric/stableids.h"
#include "rubric/rubricdraft.h"
#include "rubric/rubricpanel.h"
#include "rubric/versionhistorypane.h"
#include "rubric/versionlistmodel.h"

#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QPixmap>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTest>

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

int fail(const QString &what) {
    std::fprintf(stderr, "rs-editor-screenshot: %s\n", qPrintable(what));
    return 1;
}

// A second version as an RTD round would make it: one criterion split, one re-weighted, one
// added, ids carried over by text similarity.
Expected<std::pair<qint64, qint64>> addRound(const QString &path) {
    auto store = store::ProjectStore::open(path);
    if (!store)
        return store.error();
    auto db = store::Database::open(path, store::Database::Mode::ReadOnly);
    if (!db)
        return db.error();
    auto head = rubric::loadHead(db.value(), 1);
    if (!head)
        return head.error();
    QList<rubric::CriterionDraft> next;
    for (int i = 0; i < head->criteria.size(); ++i) {
        const CriterionRecord &c = head->criteria[i];
        if (c.text.contains(QStringLiteral("list(set(...))"))) {
            next.push_back(
                {{},
                 QStringLiteral(
                     "The response states that list(set(...)) loses the original order."),
                 c.weight,
                 c.category,
                 {}});
            next.push_back(
                {{},
                 QStringLiteral("The response warns that list(set(...)) is not order-preserving."),
                 1,
                 c.category,
                 {}});
        } else if (c.text.contains(QStringLiteral("time complexity"))) {
            next.push_back({{}, c.text, 2, c.category, c.tags});
        } else {
            next.push_back({{}, c.text, c.weight, c.category, c.tags});
        }
    }
    next.push_back({{},
                    QStringLiteral("The response recommends dict.fromkeys for hashable items."),
                    2,
                    QStringLiteral("correctness"),
                    {}});
    next = rubric::assignStableIds(head->criteria, next);
    const QJsonObject detail{{QStringLiteral("round"), 1},
                             {QStringLiteral("model"), QStringLiteral("rs-test-judge")}};
    auto v2 = rubric::saveVersion(*store.value(), 1, {QStringLiteral("rtd"), detail}, next);
    if (!v2)
        return v2.error();
    if (auto t = rubric::setVersionTag(*store.value(), head->versionId, QStringLiteral("baseline"));
        !t)
        return t.error();
    return std::make_pair(head->versionId, v2.value());
}

} // namespace

int main(int argc, char *argv[]) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("RubricStudio"));
    QApplication::setApplicationName(QStringLiteral("Rubric Studio"));
    if (argc != 2)
        return fail(QStringLiteral("usage: rs-editor-screenshot OUT_DIR"));
    const QDir out(QString::fromLocal8Bit(argv[1]));
    QDir().mkpath(out.absolutePath());

    const QString dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dataDir);
    const QString project = dataDir + QStringLiteral("/editor-demo.rubrics");
    QFile::remove(project);
    const test::JudgedProject judged = test::buildJudgedDemo(project);
    if (!judged.error.isEmpty())
        return fail(judged.error);
    auto versions = addRound(project);
    if (!versions)
        return fail(versions.error().toString());
    const auto [v1, v2] = versions.value();

    MainWindow window;
    window.setLayoutPersistent(false);
    window.resize(1600, 900);
    // The editor is wide: only the prompts dock stays open beside it.
    for (QDockWidget *dock : window.findChildren<QDockWidget *>())
        if (dock->windowTitle() != QLatin1String("Prompts"))
            dock->hide();
    window.show();
    window.session()->openProject(project);
    if (!waitFor([&window] { return window.navigator()->model()->rowCount() > 0; }))
        return fail(QStringLiteral("the project did not open"));
    RubricPanel *panel = window.rubricPanel();
    window.tabs()->setCurrentWidget(panel);
    window.navigator()->selectRow(0);
    if (!waitFor(
            [&] { return panel->draft() && panel->history()->versionModel()->rowCount() == 2; }))
        return fail(QStringLiteral("the rubric did not load"));

    // An unsaved edit that lint flags, then v1 and v2 selected in the history.
    RubricDraft *draft = panel->draft();
    draft->setText(int(draft->criteria().size()) - 1,
                   QStringLiteral("The code is clear and avoids global state."));
    bool shown = false;
    QObject::connect(panel->history(), &VersionHistoryPane::diffShown, [&shown] { shown = true; });
    panel->history()->selectVersions({v1, v2});
    if (!waitFor([&shown] { return shown; }))
        return fail(QStringLiteral("the diff did not load"));

    QCoreApplication::sendPostedEvents();
    QTest::qWait(200);
    const QString file = out.filePath(QStringLiteral("screenshot-editor.png"));
    const QPixmap shot = window.grab();
    if (shot.isNull() || !shot.save(file, "PNG"))
        return fail(QStringLiteral("cannot save ") + file);
    std::printf("screenshot: %s (%dx%d)\n", qPrintable(file), shot.width(), shot.height());
    return 0;
}
