#include "project/recentprojectsmenu.h"

#include "project/recentprojects.h"

#include <QDir>
#include <QFileInfo>

namespace rs::ui {

RecentProjectsMenu::RecentProjectsMenu(QWidget *parent)
    : QMenu(tr("Open &Recent"), parent)
{
    connect(this, &QMenu::aboutToShow, this, &RecentProjectsMenu::rebuild);
    rebuild();
}

void RecentProjectsMenu::rebuild()
{
    clear();
    const QStringList paths = RecentProjects::list();
    int number = 0;
    for (const QString &path : paths) {
        ++number;
        // "&1 demo.rubrics — ~/projects": the name first, where the eye looks for it.
        QString label = QFileInfo(path).fileName() + QStringLiteral("  —  ") +
                        QDir::toNativeSeparators(QFileInfo(path).path());
        label.replace(QLatin1Char('&'), QStringLiteral("&&"));
        if (number < 10)
            label.prepend(QStringLiteral("&%1  ").arg(number));
        QAction *action = addAction(label);
        action->setToolTip(path);
        connect(action, &QAction::triggered, this, [this, path] { Q_EMIT projectChosen(path); });
    }
    if (paths.isEmpty()) {
        addAction(tr("No recent projects"))->setEnabled(false);
        return;
    }
    addSeparator();
    connect(addAction(tr("&Clear Menu")), &QAction::triggered, this,
            [] { RecentProjects::clear(); });
}

} // namespace rs::ui
