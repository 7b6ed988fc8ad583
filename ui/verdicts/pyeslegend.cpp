#include "verdicts/pyeslegend.h"

#include "verdicts/verdictshade.h"

#include <QLinearGradient>
#include <QPainter>

namespace rs::ui {
namespace {
constexpr int kBarWidth = 72;
constexpr int kGap = 4;
} // namespace

PYesLegend::PYesLegend(QWidget *parent)
    : QWidget(parent) {
    setToolTip(tr("Soft verdicts are shaded by P(yes): the judge's token probabilities "
                  "(probability mode) or the share of yes among several votes. 0 red, 0.5 "
                  "neutral, 1 green; a cell with one plain verdict keeps its mark."));
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Preferred);
}

QSize PYesLegend::sizeHint() const {
    const QFontMetrics fm = fontMetrics();
    const int text = fm.horizontalAdvance(tr("P(yes)")) +
                     fm.horizontalAdvance(QStringLiteral("0")) +
                     fm.horizontalAdvance(QStringLiteral("1"));
    return {text + kBarWidth + 4 * kGap, fm.height() + 4};
}

void PYesLegend::paintEvent(QPaintEvent *) {
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing, true);
    const QFontMetrics fm = fontMetrics();
    const QString caption = tr("P(yes)");
    int x = 0;
    const QRect all = rect();
    painter.setPen(palette().color(QPalette::WindowText));
    painter.drawText(QRect(x, 0, fm.horizontalAdvance(caption), all.height()),
                     Qt::AlignVCenter | Qt::AlignLeft, caption);
    x += fm.horizontalAdvance(caption) + 2 * kGap;
    painter.drawText(QRect(x, 0, fm.horizontalAdvance(QStringLiteral("0")), all.height()),
                     Qt::AlignVCenter | Qt::AlignLeft, QStringLiteral("0"));
    x += fm.horizontalAdvance(QStringLiteral("0")) + kGap;

    const int barHeight = qMax(8, fm.height() - 4);
    const QRectF bar(x + 0.5, (all.height() - barHeight) / 2.0 + 0.5, kBarWidth, barHeight);
    QLinearGradient gradient(bar.topLeft(), bar.topRight());
    // The scale is linear on each half: its ends and middle draw it exactly.
    for (const double p : {0.0, 0.5, 1.0})
        gradient.setColorAt(p, pYesShade(p));
    painter.setPen(QPen(pYesShade(0.5).darker(135), 1.0));
    painter.setBrush(gradient);
    painter.drawRoundedRect(bar, 2, 2);
    x += kBarWidth + kGap;

    painter.setPen(palette().color(QPalette::WindowText));
    painter.drawText(QRect(x, 0, fm.horizontalAdvance(QStringLiteral("1")), all.height()),
                     Qt::AlignVCenter | Qt::AlignLeft, QStringLiteral("1"));
}

} // namespace rs::ui
