#include "common/scrollsync.h"

#include <QScrollBar>

#include <cmath>

namespace rs::ui {

ScrollSync::ScrollSync(QObject *parent)
    : QObject(parent)
{
}

void ScrollSync::setScrollBars(const QList<QScrollBar *> &bars)
{
    for (const QPointer<QScrollBar> &bar : std::as_const(m_bars))
        if (bar)
            disconnect(bar, nullptr, this, nullptr);
    m_bars.clear();
    for (QScrollBar *bar : bars) {
        m_bars << bar;
        connect(bar, &QScrollBar::valueChanged, this,
                [this, bar](int value) { follow(bar, value); });
    }
}

QList<QScrollBar *> ScrollSync::scrollBars() const
{
    QList<QScrollBar *> out;
    for (const QPointer<QScrollBar> &bar : m_bars)
        if (bar)
            out << bar.data();
    return out;
}

int ScrollSync::proportionalValue(const QScrollBar &from, int value, const QScrollBar &to)
{
    const int fromRange = from.maximum() - from.minimum();
    const int toRange = to.maximum() - to.minimum();
    if (fromRange <= 0 || toRange <= 0)
        return to.minimum();
    const double fraction = double(value - from.minimum()) / fromRange;
    return to.minimum() + int(std::lround(fraction * toRange));
}

void ScrollSync::follow(QScrollBar *leader, int value)
{
    // Setting the followers' values emits their valueChanged, which must not lead in turn.
    if (m_following)
        return;
    m_following = true;
    for (const QPointer<QScrollBar> &bar : std::as_const(m_bars))
        if (bar && bar != leader)
            bar->setValue(proportionalValue(*leader, value, *bar));
    m_following = false;
}

} // namespace rs::ui
