#include "navigator/promptitemdelegate.h"

#include "common/roles.h"

#include <QApplication>
#include <QPainter>

namespace rs::ui {
namespace {
constexpr int kPadX = 8;
constexpr int kPadY = 5;
constexpr int kLineGap = 2;
} // namespace

PromptItemDelegate::PromptItemDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{
}

QFont PromptItemDelegate::countsFont(const QFont &base)
{
    QFont f = base;
    if (f.pointSizeF() > 0)
        f.setPointSizeF(f.pointSizeF() * 0.88);
    else
        f.setPixelSize(qMax(8, int(f.pixelSize() * 0.88)));
    return f;
}

void PromptItemDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                               const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString title = opt.text;
    opt.text.clear(); // the style draws the selection and focus; the text is ours
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const bool selected = opt.state & QStyle::State_Selected;
    const QPalette::ColorGroup group =
        (opt.state & QStyle::State_Enabled) ? QPalette::Normal : QPalette::Disabled;
    const QColor textColor =
        opt.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
    QColor quietColor = textColor;
    quietColor.setAlphaF(selected ? 0.85 : 0.6);

    const QRect r = opt.rect.adjusted(kPadX, kPadY, -kPadX, -kPadY);
    const QFontMetrics titleMetrics(opt.font);
    const QFont small = countsFont(opt.font);
    const QFontMetrics smallMetrics(small);

    painter->save();
    painter->setFont(opt.font);
    painter->setPen(textColor);
    const QRect titleRect(r.left(), r.top(), r.width(), titleMetrics.height());
    painter->drawText(titleRect, Qt::AlignLeft | Qt::AlignVCenter,
                      titleMetrics.elidedText(title, Qt::ElideRight, titleRect.width()));

    painter->setFont(small);
    painter->setPen(quietColor);
    const QRect countsRect(r.left(), titleRect.bottom() + 1 + kLineGap, r.width(),
                           smallMetrics.height());
    const QString counts = index.data(CountsTextRole).toString();
    painter->drawText(countsRect, Qt::AlignLeft | Qt::AlignVCenter,
                      smallMetrics.elidedText(counts, Qt::ElideRight, countsRect.width()));
    painter->restore();
}

QSize PromptItemDelegate::sizeHint(const QStyleOptionViewItem &option,
                                   const QModelIndex &index) const
{
    Q_UNUSED(index)
    const QFontMetrics titleMetrics(option.font);
    const QFontMetrics smallMetrics(countsFont(option.font));
    return {200, kPadY * 2 + titleMetrics.height() + kLineGap + smallMetrics.height()};
}

} // namespace rs::ui
