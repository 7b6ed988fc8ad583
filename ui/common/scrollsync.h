#pragma once

#include <QList>
#include <QObject>
#include <QPointer>

class QScrollBar;

namespace rs::ui {

/// Keeps scroll bars in step by proportion: moving one to 40 % of its range moves the others
/// to 40 % of theirs, so side-by-side texts of different lengths stay at the same relative
/// place (the start, the middle, the end) rather than at the same pixel.
class ScrollSync final : public QObject {
    Q_OBJECT

public:
    explicit ScrollSync(QObject *parent = nullptr);

    /// Replaces the synchronised set.
    void setScrollBars(const QList<QScrollBar *> &bars);
    QList<QScrollBar *> scrollBars() const;

    /// Where `to` goes when `from` is at `value`: the same fraction of its range.
    static int proportionalValue(const QScrollBar &from, int value, const QScrollBar &to);

private:
    void follow(QScrollBar *leader, int value);

    QList<QPointer<QScrollBar>> m_bars;
    bool m_following = false;
};

} // namespace rs::ui
