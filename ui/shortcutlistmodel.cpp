#include "shortcutlistmodel.h"

#include <QAction>
#include <QMenu>
#include <QMenuBar>

namespace rs::ui {
namespace {

QString plain(QString text)
{
    text.remove(QLatin1Char('&'));
    text.remove(QStringLiteral("…"));
    return text.trimmed();
}

} // namespace

ShortcutListModel::ShortcutListModel(QObject *parent) : QAbstractTableModel(parent) {}

void ShortcutListModel::loadFrom(const QMenuBar *menuBar)
{
    beginResetModel();
    m_rows.clear();
    const std::function<void(const QMenu *, const QString &)> walk = [&](const QMenu *menu,
                                                                         const QString &path) {
        for (QAction *action : menu->actions()) {
            const QString name = path + QStringLiteral(" › ") + plain(action->text());
            if (action->menu())
                walk(action->menu(), name);
            else if (!action->shortcut().isEmpty())
                m_rows.push_back({name, action->shortcut()});
        }
    };
    for (QAction *top : menuBar->actions())
        if (top->menu())
            walk(top->menu(), plain(top->text()));
    endResetModel();
}

int ShortcutListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ShortcutListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ShortcutListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid) || role != Qt::DisplayRole)
        return {};
    const Row &row = m_rows.at(index.row());
    return index.column() == ActionColumn ? QVariant(row.action)
                                          : QVariant(row.shortcut.toString(QKeySequence::NativeText));
}

QVariant ShortcutListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == ActionColumn ? tr("Action") : tr("Shortcut");
}

} // namespace rs::ui
