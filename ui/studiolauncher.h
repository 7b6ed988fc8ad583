#pragma once

#include <QString>
#include <QStringList>

namespace rs::ui {

class MainWindow;

/// What the command line asked the studio to do at start.
struct LaunchOptions final {
    QString projectPath;    ///< open this project
    bool demo = false;      ///< open the demo project (building it when missing)
    QString screenshotPath; ///< render the window to this PNG once the views are filled, quit
    QString theme;          ///< "system", "light" or "dark" for this launch; empty: the saved choice
};

/// Start-up decisions, kept out of main() so they can be tested: parse the arguments, then
/// open the named project, the demo (asked for, or on a first launch with no recent
/// project) or the most recent project.
class StudioLauncher final {
public:
    /// Parses `arguments` (argv, program name first). On a usage error returns false with
    /// `error` set; --help and --version print and exit inside.
    static bool parse(const QStringList &arguments, LaunchOptions *options, QString *error);

    /// Applies the saved light/dark choice, or the one --theme asked for. Before the main
    /// window is made, so that every widget starts in the right look.
    static void applyTheme(const LaunchOptions &options);

    /// Restores the layout (unless taking a screenshot), shows the window and opens the
    /// project the options call for. With a screenshot path, the application quits when the
    /// shot is saved (exit code 0) or cannot be taken (exit code 1).
    static void start(MainWindow &window, const LaunchOptions &options);
};

} // namespace rs::ui
