// Desktop habits: every main action has a keyboard shortcut and Help › Keyboard Shortcuts
// lists them; the About dialog names the libraries with the versions running now; light and
// dark looks follow the desktop or the View › Theme choice, charts included.
#include "analysis/chartpanel.h"
#include "mainwindow.h"
#include "shortcutlistmodel.h"
#include "shortcutsdialog.h"
#include "studiolauncher.h"
#include "common/theme.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QChart>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <curl/curl.h>
#include <sqlite3.h>

using namespace rs::ui;

class TestDesktopHabits final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void everyMainAction_hasAShortcut_andTheDialogListsIt()
    {
        MainWindow window;
        window.setLayoutPersistent(false);
        ShortcutsDialog dialog(window.menuBar());
        ShortcutListModel *model = dialog.model();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QHash<QString, QString> listed;
        for (int r = 0; r < model->rowCount(); ++r)
            listed.insert(model->index(r, ShortcutListModel::ActionColumn).data().toString(),
                          model->index(r, ShortcutListModel::ShortcutColumn).data().toString());
        const QStringList mainActions{
            QStringLiteral("File › New Project"), QStringLiteral("File › Open Project"),
            QStringLiteral("File › Import"),      QStringLiteral("File › Quit"),
            QStringLiteral("Edit › Undo"),        QStringLiteral("Edit › Redo"),
            QStringLiteral("Help › Keyboard Shortcuts")};
        for (const QString &action : mainActions)
            QVERIFY2(listed.contains(action), qPrintable(action + QStringLiteral(" not listed: ")
                                                         + listed.keys().join(QStringLiteral(", "))));
        QCOMPARE(listed.value(QStringLiteral("File › Open Project")),
                 QKeySequence(QKeySequence::Open).toString(QKeySequence::NativeText));
        // The Judge menu's actions and the panels have keys too.
        int judge = 0, view = 0;
        for (auto it = listed.cbegin(); it != listed.cend(); ++it) {
            judge += it.key().startsWith(QStringLiteral("Judge › "));
            view += it.key().startsWith(QStringLiteral("View › "));
        }
        QVERIFY(judge >= 2);
        QCOMPARE(view, 3);
        // No key is given to two actions.
        QStringList keys = listed.values();
        keys.removeDuplicates();
        QCOMPARE(keys.size(), listed.size());
    }

    void about_namesLibrariesWithRunningVersions()
    {
        const QString about = MainWindow::aboutText();
        QVERIFY(about.contains(QString::fromLatin1(qVersion())));
        QVERIFY(about.contains(QString::fromLatin1(sqlite3_libversion())));
        QVERIFY(about.contains(QString::fromLatin1(curl_version_info(CURLVERSION_NOW)->version)));
        for (const char *name : {"nlohmann-json", "QtKeychain", "LGPL-3.0", "MIT"})
            QVERIFY2(about.contains(QLatin1String(name)), name);
    }

    void themeMenu_switchesLooks_savesTheChoice_andRedrawsCharts()
    {
        MainWindow window;
        window.setLayoutPersistent(false);
        auto *menu = window.menuBar()->findChild<QMenu *>(QStringLiteral("themeMenu"));
        QVERIFY(menu);
        QCOMPARE(menu->actions().size(), 3);
        ChartPanel chart;
        ChartSpec spec;
        spec.title = QStringLiteral("separation");
        spec.series.append({QStringLiteral("refined"), SeriesKind::Line, {{0, 0.2}, {1, 0.7}}, {}});
        chart.setSpec(spec);

        auto trigger = [menu](const char *name) {
            QAction *action = menu->findChild<QAction *>(QLatin1String(name));
            QVERIFY2(action, name);
            action->trigger();
        };
        trigger("theme-dark");
        QVERIFY(Theme::isDark());
        // Widgets take the new palette from a posted event.
        QTRY_VERIFY(window.palette().color(QPalette::Window).lightness() < 128);
        QVERIFY(window.palette().color(QPalette::WindowText).lightness() > 128);
        QCOMPARE(Theme::saved(), Theme::Mode::Dark);
        QVERIFY(menu->findChild<QAction *>(QStringLiteral("theme-dark"))->isChecked());
        QTRY_COMPARE(chart.chart()->theme(), QChart::ChartThemeDark);
        // Exported pictures stay light: they go into papers.
        const QImage picture = chart.renderImage(QSize(320, 200));
        QVERIFY(QColor(picture.pixel(4, 4)).lightness() > 200);
        // Error text is lighter on the dark background than on the light one.
        const int darkError = Theme::errorColour().lightness();

        trigger("theme-light");
        QVERIFY(!Theme::isDark());
        QCOMPARE(Theme::saved(), Theme::Mode::Light);
        QTRY_COMPARE(chart.chart()->theme(), QChart::ChartThemeLight);
        QVERIFY(Theme::errorColour().lightness() < darkError);

        trigger("theme-system");
        QCOMPARE(Theme::saved(), Theme::Mode::System);
        QCOMPARE(Theme::isDark(), Theme::systemPrefersDark());
    }

    void systemLook_readsGtkAndKdeSettings()
    {
        qunsetenv("GTK_THEME");
        QTemporaryDir config;
        QVERIFY(config.isValid());
        QVERIFY(!Theme::systemPrefersDark(config.path())); // offscreen starts light, no settings

        auto write = [&config](const QString &name, const QByteArray &text) {
            QDir(config.path()).mkpath(QFileInfo(config.filePath(name)).path());
            QFile f(config.filePath(name));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(text);
        };
        write(QStringLiteral("kdeglobals"), "[Colors:Window]\nBackgroundNormal=239,240,241\n");
        QVERIFY(!Theme::systemPrefersDark(config.path())); // Breeze light
        write(QStringLiteral("kdeglobals"), "[Colors:Window]\nBackgroundNormal=32,35,38\n");
        QVERIFY(Theme::systemPrefersDark(config.path())); // Breeze dark
        QFile::remove(config.filePath(QStringLiteral("kdeglobals")));
        write(QStringLiteral("gtk-3.0/settings.ini"), "[Settings]\ngtk-theme-name=Adwaita\n");
        QVERIFY(!Theme::systemPrefersDark(config.path()));
        write(QStringLiteral("gtk-3.0/settings.ini"),
              "[Settings]\ngtk-application-prefer-dark-theme=1\n");
        QVERIFY(Theme::systemPrefersDark(config.path()));
        QFile::remove(config.filePath(QStringLiteral("gtk-3.0/settings.ini")));
        qputenv("GTK_THEME", "Adwaita:dark");
        QVERIFY(Theme::systemPrefersDark(config.path()));
        qunsetenv("GTK_THEME");
    }

    void themeOption_isCheckedAtLaunch()
    {
        LaunchOptions options;
        QString error;
        QVERIFY(StudioLauncher::parse({QStringLiteral("rubric-studio"), QStringLiteral("--theme"),
                                       QStringLiteral("dark")},
                                      &options, &error));
        QCOMPARE(options.theme, QStringLiteral("dark"));
        QVERIFY(!StudioLauncher::parse({QStringLiteral("rubric-studio"), QStringLiteral("--theme"),
                                        QStringLiteral("purple")},
                                       &options, &error));
        QVERIFY2(error.contains(QLatin1String("purple")), qPrintable(error));
    }
};

QTEST_MAIN(TestDesktopHabits)
#include "tst_desktophabits.moc"
