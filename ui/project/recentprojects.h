#pragma once

#include <QStringList>

namespace rs::ui {

/// The most recently opened projects, newest first, kept in QSettings.
class RecentProjects final {
public:
    static constexpr int kMaxEntries = 10;

    static QStringList list();
    /// Moves (or adds) `path` to the top.
    static void add(const QString &path);
    static void remove(const QString &path);
    static void clear();

private:
    static void store(const QStringList &paths);
};

} // namespace rs::ui
