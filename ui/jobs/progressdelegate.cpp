#include "jobs/progressdelegate.h"

#include "common/roles.h"

#include <QApplication>
#include <QPainter>
#include <QStyleOptionProgressBar>

namespace rs::ui {
namespace {
constexpr int kMargin = 3;
constexpr int kMinWidth = 160;
} // namespace

void ProgressDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                             const QModelIndex &index) const {
    // The selection background first, so a selected row still reads as selected.
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    background.text.clear();
    QStyle *style = option.widget ? option.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &background, painter, option.widget);

    const QVariant value = index.data(JobProgressRole);
    if (!value.isValid())
        return;
    QStyleOptionProgressBar bar;
    bar.initFrom(option.widget);
    bar.rect = option.rect.adjusted(kMargin, kMargin, -kMargin, -kMargin);
    bar.state = option.state | QStyle::State_Horizontal;
    bar.minimum = 0;
    bar.maximum = value.toInt() < 0 ? 0 : 1000; // 0..0 draws a busy indicator
    bar.progress = qMax(0, value.toInt());
    bar.text = index.data(Qt::DisplayRole).toString();
    bar.textVisible = !bar.text.isEmpty();
    bar.textAlignment = Qt::AlignCenter;
    style->drawControl(QStyle::CE_ProgressBar, &bar, painter, option.widget);
}

QSize ProgressDelegate::sizeHint(const QStyleOptionViewItem &option,
                                 const QModelIndex &index) const {
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setWidth(qMax(size.width(), kMinWidth));
    size.setHeight(size.height() + 2 * kMargin);
    return size;
}

} // namespace rs::ui
