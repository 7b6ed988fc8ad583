#include "rubric/categorydelegate.h"

#include <QComboBox>

namespace rs::ui {

QStringList CategoryDelegate::categories() {
    return {QString(), QStringLiteral("essential"), QStringLiteral("important"),
            QStringLiteral("optional"), QStringLiteral("pitfall")};
}

QWidget *CategoryDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &,
                                        const QModelIndex &) const {
    auto *combo = new QComboBox(parent);
    combo->setEditable(true);
    combo->addItems(categories());
    return combo;
}

void CategoryDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const {
    auto *combo = static_cast<QComboBox *>(editor);
    combo->setCurrentText(index.data(Qt::EditRole).toString());
}

void CategoryDelegate::setModelData(QWidget *editor, QAbstractItemModel *model,
                                    const QModelIndex &index) const {
    model->setData(index, static_cast<QComboBox *>(editor)->currentText(), Qt::EditRole);
}

} // namespace rs::ui
