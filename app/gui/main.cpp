#include "mainwindow.h"
#include "studiolauncher.h"

#include <QApplication>

#include <cstdio>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("RubricStudio"));
    QApplication::setApplicationName(QStringLiteral("Rubric Studio"));
    QApplication::setApplicationVersion(QStringLiteral(RS_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("rubric-studio"));

    rs::ui::LaunchOptions options;
    QString error;
    if (!rs::ui::StudioLauncher::parse(QApplication::arguments(), &options, &error)) {
        std::fprintf(stderr, "rubric-studio: %s\n", qPrintable(error));
        return 2;
    }
    rs::ui::StudioLauncher::applyTheme(options);
    rs::ui::MainWindow window;
    rs::ui::StudioLauncher::start(window, options);
    return QApplication::exec();
}
