#pragma once

#include <QStyledItemDelegate>

namespace rs::ui {

/// Edits a criterion's category with the usual four (essential, important, optional,
/// pitfall) to pick from, still accepting a category of the user's own.
class CategoryDelegate final : public QStyledItemDelegate {
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    static QStringList categories();

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                          const QModelIndex &index) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model,
                      const QModelIndex &index) const override;
};

} // namespace rs::ui
