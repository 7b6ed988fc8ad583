// Desktop habits: every main action has a keyboard shortcut and Help › Keyboard Shortcuts
// lists them; the About dialog names the libraries with the versions running now.
#include "mainwindow.h"
#include "shortcutlistmodel.h"
#include "shortcutsdialog.h"

#include <QAbstractItemModelTester>
#include <QMenuBar>
#include <QStandardPaths>
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
};

QTEST_MAIN(TestDesktopHabits)
#include "tst_desktophabits.moc"
