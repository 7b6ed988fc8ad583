#pragma once

#include <QStyledItemDelegate>

namespace rs::ui {

/// Draws a cell as a progress bar: the value is JobProgressRole (per mille; -1 for a busy
/// indicator while the total is unknown), the text is the cell's display text.
class ProgressDelegate final : public QStyledItemDelegate {
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace rs::ui
