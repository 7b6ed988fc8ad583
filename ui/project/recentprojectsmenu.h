#pragma once

#include <QMenu>

namespace rs::ui {

/// File ▸ Open Recent: rebuilt from RecentProjects each time it opens, so it is never stale.
class RecentProjectsMenu final : public QMenu {
    Q_OBJECT

public:
    explicit RecentProjectsMenu(QWidget *parent = nullptr);

Q_SIGNALS:
    void projectChosen(const QString &path);

private:
    void rebuild();
};

} // namespace rs::ui
