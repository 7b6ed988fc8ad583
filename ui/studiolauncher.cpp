#include "studiolauncher.h"

#include "project/demoproject.h"
#include "mainwindow.h"
#include "project/projectsession.h"
#include "project/recentprojects.h"
#include "screenshotrunner.h"
#include "common/theme.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace rs::ui {

bool StudioLauncher::parse(const QStringList &arguments, LaunchOptions *options, QString *error)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("StudioLauncher", "Rubric Studio: author, refine, judge and "
                                                      "inspect rubric rewards."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demo(
        QStringLiteral("demo"),
        QCoreApplication::translate("StudioLauncher",
                                    "Open the demo project (built on first use)."));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QCoreApplication::translate(
            "StudioLauncher", "Save a PNG of the window once the views are filled, then quit."),
        QStringLiteral("file.png"));
    const QCommandLineOption theme(
        QStringLiteral("theme"),
        QCoreApplication::translate("StudioLauncher",
                                    "Look for this launch: system, light or dark (not saved)."),
        QStringLiteral("look"));
    parser.addOption(demo);
    parser.addOption(screenshot);
    parser.addOption(theme);
    parser.addPositionalArgument(
        QStringLiteral("project"),
        QCoreApplication::translate("StudioLauncher", "Project file to open (.rubrics)."),
        QStringLiteral("[project]"));
    if (!parser.parse(arguments)) {
        *error = parser.errorText();
        return false;
    }
    if (parser.isSet(QStringLiteral("help")))
        parser.showHelp(0);
    if (parser.isSet(QStringLiteral("version")))
        parser.showVersion();
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1) {
        *error = QCoreApplication::translate("StudioLauncher", "Give at most one project.");
        return false;
    }
    options->projectPath = positional.value(0);
    options->demo = parser.isSet(demo);
    options->screenshotPath = parser.value(screenshot);
    options->theme = parser.value(theme);
    Theme::Mode mode;
    if (!options->theme.isEmpty() && !Theme::parse(options->theme, &mode)) {
        *error = QCoreApplication::translate("StudioLauncher",
                                             "--theme takes system, light or dark, not \"%1\".")
                     .arg(options->theme);
        return false;
    }
    if (options->demo && !options->projectPath.isEmpty()) {
        *error = QCoreApplication::translate("StudioLauncher",
                                             "Give either a project or --demo, not both.");
        return false;
    }
    return true;
}

void StudioLauncher::applyTheme(const LaunchOptions &options)
{
    Theme::Mode mode = Theme::saved();
    if (!options.theme.isEmpty())
        Theme::parse(options.theme, &mode);
    Theme::instance()->apply(mode);
}

void StudioLauncher::start(MainWindow &window, const LaunchOptions &options)
{
    const bool screenshot = !options.screenshotPath.isEmpty();
    if (screenshot) {
        // A scripted shot uses the default layout and leaves the user's saved one alone.
        window.setLayoutPersistent(false);
        auto *runner = new ScreenshotRunner(window, options.screenshotPath, &window);
        QObject::connect(runner, &ScreenshotRunner::finished, &window,
                         [](int exitCode) { QCoreApplication::exit(exitCode); });
    } else {
        window.restoreLayout();
    }
    window.show();

    ProjectSession *session = window.session();
    const QStringList recent = RecentProjects::list();
    if (!options.projectPath.isEmpty())
        session->openProject(options.projectPath);
    else if (options.demo || recent.isEmpty() || screenshot)
        session->openDemoProject(DemoProject::defaultPath());
    else
        session->openProject(recent.first());
}

} // namespace rs::ui
