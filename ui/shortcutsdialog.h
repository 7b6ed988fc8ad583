#pragma once

#include <QDialog>

class QMenuBar;
class QTableView;

namespace rs::ui {

class ShortcutListModel;

/// Help › Keyboard Shortcuts: every menu action with a shortcut.
class ShortcutsDialog final : public QDialog {
    Q_OBJECT

public:
    explicit ShortcutsDialog(const QMenuBar *menuBar, QWidget *parent = nullptr);
    ShortcutListModel *model() const { return m_model; }

private:
    ShortcutListModel *m_model = nullptr;
    QTableView *m_view = nullptr;
};

} // namespace rs::ui
