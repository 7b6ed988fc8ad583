#include "project/recentprojects.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace rs::ui {
namespace {
const QString kRecentKey = QStringLiteral("project/recent");

// The same file reached by different spellings must be one entry. Only the path is cleaned:
// resolving links would touch the disk, and this runs on the GUI thread.
QString normalised(const QString &path)
{
    return QDir::cleanPath(QFileInfo(path).absoluteFilePath());
}

} // namespace

QStringList RecentProjects::list()
{
    return QSettings().value(kRecentKey).toStringList();
}

void RecentProjects::add(const QString &path)
{
    const QString entry = normalised(path);
    QStringList paths = list();
    paths.removeAll(entry);
    paths.prepend(entry);
    store(paths);
}

void RecentProjects::remove(const QString &path)
{
    QStringList paths = list();
    paths.removeAll(normalised(path));
    store(paths);
}

void RecentProjects::clear()
{
    store({});
}

void RecentProjects::store(const QStringList &paths)
{
    QSettings().setValue(kRecentKey, paths.mid(0, kMaxEntries));
}

} // namespace rs::ui
