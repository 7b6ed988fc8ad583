#include "verdicts/verdictcelldelegate.h"

#include "common/roles.h"
#include "verdicts/verdictshade.h"
#include "verdicts/verdicttext.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace rs::ui {
namespace {
// Fixed hues, chosen to stay apart for the common colour-vision deficiencies as well: green
// and red differ in lightness too, failed adds a hatch and "!", overrides a blue frame.
// The strong yes and no colours are verdictYesColour() and verdictNoColour().
const QColor kYesWeak(0xb4, 0xe2, 0xba);
const QColor kNoBorderWeak(0xe6, 0xaa, 0xa8);
// Translucent where the cell background shows through, so light and dark themes both work.
const QColor kNoFill(0xc0, 0x4b, 0x48, 24);
const QColor kFailedFill(0xf7, 0xc8, 0x73);
const QColor kFailedHatch(0xd0, 0x7a, 0x22);
const QColor kFailedText(0x7a, 0x3e, 0x00);
const QColor kPendingFill(0x80, 0x80, 0x80, 64);
const QColor kPendingBorder(0x80, 0x80, 0x80, 110);
const QColor kOverride(0x23, 0x57, 0xc6);
const QColor kBadgeFill(0xe0, 0x94, 0x10);
const QColor kBadgeText(0xff, 0xff, 0xff);

QColor mix(const QColor &a, const QColor &b, double t)
{
    t = qBound(0.0, t, 1.0);
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t),
                            float(a.greenF() + (b.greenF() - a.greenF()) * t),
                            float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

/// How clear the judge was, 0 (an even split) to 1 (unanimous); 1 without gradings, as for a
/// verdict set by hand on a cell the judge never saw.
double agreement(int yes, int no, int failed)
{
    const int total = yes + no + failed;
    if (total == 0)
        return 1.0;
    return (double(qMax(yes, no)) / total - 0.5) * 2.0;
}

int markSide(const QStyleOptionViewItem &option)
{
    return qMax(10, option.fontMetrics.height());
}

} // namespace

VerdictCellDelegate::VerdictCellDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{
}

void VerdictCellDelegate::paintMark(QPainter *painter, const QRectF &box, judge::CellState state,
                                    int yesVotes, int noVotes, int failedVotes)
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, true);
    const QRectF inner = box.adjusted(1.5, 1.5, -1.5, -1.5);
    const double t = agreement(yesVotes, noVotes, failedVotes);
    switch (state) {
    case judge::CellState::Yes:
    case judge::CellState::OverriddenYes: {
        const QColor fill = mix(kYesWeak, verdictYesColour(), isOverridden(state) ? 1.0 : t);
        painter->setPen(QPen(fill.darker(115), 1.0));
        painter->setBrush(fill);
        painter->drawRoundedRect(inner, 2, 2);
        break;
    }
    case judge::CellState::No:
    case judge::CellState::OverriddenNo: {
        const QColor border = mix(kNoBorderWeak, verdictNoColour(), isOverridden(state) ? 1.0 : t);
        painter->setPen(QPen(border, 1.6));
        painter->setBrush(kNoFill);
        painter->drawRoundedRect(inner, 2, 2);
        break;
    }
    case judge::CellState::Refused:
    case judge::CellState::Failed: {
        painter->setPen(QPen(kFailedHatch, 1.0));
        painter->setBrush(kFailedFill);
        painter->drawRoundedRect(inner, 2, 2);
        painter->setBrush(QBrush(kFailedHatch, Qt::BDiagPattern));
        painter->setPen(Qt::NoPen);
        painter->drawRoundedRect(inner, 2, 2);
        QFont bold = painter->font();
        bold.setBold(true);
        painter->setFont(bold);
        painter->setPen(kFailedText);
        // "!" failed (asked again next run), "?" refused (the judge declined; not asked again)
        painter->drawText(inner, Qt::AlignCenter,
                          state == judge::CellState::Refused ? QStringLiteral("?")
                                                             : QStringLiteral("!"));
        break;
    }
    case judge::CellState::Pending:
        painter->setPen(QPen(kPendingBorder, 1.0));
        painter->setBrush(kPendingFill);
        painter->drawRoundedRect(inner, 2, 2);
        break;
    }
    if (isOverridden(state)) {
        // A frame and a corner flag: "a human set this", whatever the colour underneath.
        painter->setBrush(Qt::NoBrush);
        painter->setPen(QPen(kOverride, 2.0));
        painter->drawRoundedRect(box.adjusted(0.5, 0.5, -0.5, -0.5), 2.5, 2.5);
        const double flag = qMax(5.0, box.width() * 0.55);
        const QPointF corner(box.right() + 1.5, box.top() - 1.5);
        QPainterPath triangle;
        triangle.moveTo(corner.x() - flag, corner.y());
        triangle.lineTo(corner);
        triangle.lineTo(corner.x(), corner.y() + flag);
        triangle.closeSubpath();
        painter->setPen(QPen(Qt::white, 1.0));
        painter->setBrush(kOverride);
        painter->drawPath(triangle);
    }
    painter->restore();
}

void VerdictCellDelegate::paintShade(QPainter *painter, const QRectF &box, const QColor &shade) {
    // Filled like a yes, whatever the verdict: the colour carries it, from red through a
    // neutral to green. The darker edge keeps a light (unsure) shade apart from the cell.
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, true);
    painter->setPen(QPen(shade.darker(135), 1.0));
    painter->setBrush(shade);
    painter->drawRoundedRect(box.adjusted(1.5, 1.5, -1.5, -1.5), 2, 2);
    painter->restore();
}

QPixmap VerdictCellDelegate::markPixmap(int side, judge::CellState state, int yesVotes, int noVotes,
                                        int failedVotes, qreal dpr)
{
    QPixmap pixmap(QSize(side, side) * dpr);
    pixmap.setDevicePixelRatio(dpr);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    paintMark(&painter, QRectF(0, 0, side, side), state, yesVotes, noVotes, failedVotes);
    return pixmap;
}

void VerdictCellDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                                const QModelIndex &index) const
{
    const QVariant state = index.data(CellStateRole);
    if (!state.isValid()) {
        QStyledItemDelegate::paint(painter, option, index);
        if (index.column() == m_badgeColumn && index.data(TiedAtTopRole).toBool())
            paintBadge(painter, option);
        return;
    }
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    const int side = markSide(opt);
    const QString text = opt.text;
    QRectF box;
    if (text.isEmpty()) {
        opt.text.clear();
        style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);
        // As large as the cell allows, so the heatmap reads at a glance.
        const int s = qMax(side, qMin(opt.rect.width() - 10, opt.rect.height() - 7));
        box = QRectF(opt.rect.center().x() - s / 2.0 + 0.5, opt.rect.center().y() - s / 2.0 + 0.5,
                     s, s);
    } else {
        style->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, painter, widget);
        QStyleOptionViewItem textOpt = opt;
        const int indent = side + 8;
        textOpt.rect = opt.rect.adjusted(indent, 0, 0, 0);
        style->drawControl(QStyle::CE_ItemViewItem, &textOpt, painter, widget);
        const int top = (opt.displayAlignment & Qt::AlignTop) ? opt.rect.top() + 4
                                                              : opt.rect.center().y() - side / 2;
        box = QRectF(opt.rect.left() + 4, top, side, side);
    }
    if (const QVariant shade = index.data(VerdictShadeRole); shade.isValid()) {
        paintShade(painter, box, shade.value<QColor>());
        return;
    }
    paintMark(painter, box, judge::CellState(state.toInt()), index.data(YesVotesRole).toInt(),
              index.data(NoVotesRole).toInt(), index.data(FailedVotesRole).toInt());
}

void VerdictCellDelegate::paintBadge(QPainter *painter, const QStyleOptionViewItem &option) const
{
    painter->save();
    QFont small = option.font;
    small.setPointSizeF(qMax(6.0, small.pointSizeF() * 0.8));
    small.setBold(true);
    painter->setFont(small);
    const QFontMetrics fm(small);
    const QString label = tr("tie@top");
    const int w = fm.horizontalAdvance(label) + 8;
    const int h = fm.height() + 2;
    const QRect badge(option.rect.left() + 4, option.rect.center().y() - h / 2 + 1, w, h);
    painter->setRenderHint(QPainter::Antialiasing, true);
    painter->setPen(Qt::NoPen);
    painter->setBrush(kBadgeFill);
    painter->drawRoundedRect(badge, 3, 3);
    painter->setPen(kBadgeText);
    painter->drawText(badge, Qt::AlignCenter, label);
    painter->restore();
}

QSize VerdictCellDelegate::sizeHint(const QStyleOptionViewItem &option,
                                    const QModelIndex &index) const
{
    if (!index.data(CellStateRole).isValid())
        return QStyledItemDelegate::sizeHint(option, index);
    const int side = markSide(option);
    if (index.data(Qt::DisplayRole).toString().isEmpty())
        return QSize(side + 12, side + 8);
    QStyleOptionViewItem textOpt = option;
    textOpt.rect.setWidth(qMax(0, option.rect.width() - side - 8));
    const QSize text = QStyledItemDelegate::sizeHint(textOpt, index);
    return QSize(text.width() + side + 8, qMax(text.height(), side + 8));
}

} // namespace rs::ui
