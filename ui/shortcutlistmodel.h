#pragma once

#include <QAbstractTableModel>
#include <QKeySequence>
#include <QList>

class QMenuBar;

namespace rs::ui {

/// Every menu action that has a keyboard shortcut, read from a menu bar: what the Keyboard
/// Shortcuts dialog lists. Read from the menus themselves so the list cannot drift from them.
class ShortcutListModel final : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { ActionColumn, ShortcutColumn, ColumnCount };

    explicit ShortcutListModel(QObject *parent = nullptr);
    void loadFrom(const QMenuBar *menuBar);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    struct Row {
        QString action; ///< "File › Open Project"
        QKeySequence shortcut;
    };
    QList<Row> m_rows;
};

} // namespace rs::ui
