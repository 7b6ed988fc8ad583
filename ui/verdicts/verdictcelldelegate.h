#pragma once

#include "judge/verdictgrid.h"

#include <QStyledItemDelegate>

namespace rs::ui {

/// Paints verdict cells as a heatmap: any index with a CellStateRole gets a square mark —
/// yes filled green (lighter when the gradings were split), no an empty red-edged square,
/// failed hatched orange with "!", pending light grey; a human override keeps its colour and
/// gains a blue frame with a corner flag. A soft verdict (an index with a VerdictShadeRole:
/// token probabilities or several votes) is a square filled with that shade instead. A cell that
/// also has display text (the Compare view shows rationales) gets the mark on its left and the text
/// beside it.
///
/// The badge column (the rank) shows "tie@top" on rows whose TiedAtTopRole is set.
class VerdictCellDelegate final : public QStyledItemDelegate {
    Q_OBJECT

public:
    explicit VerdictCellDelegate(QObject *parent = nullptr);

    /// The column that carries the tie@top badge; -1 (the default) for none.
    void setBadgeColumn(int column) { m_badgeColumn = column; }

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    /// Draws the mark of a cell into `box` (a square). Used for the inspector's icons too.
    static void paintMark(QPainter *painter, const QRectF &box, judge::CellState state,
                          int yesVotes, int noVotes, int failedVotes);
    /// Draws a soft verdict's square, filled with its P(yes) shade (pYesShade), into `box`.
    static void paintShade(QPainter *painter, const QRectF &box, const QColor &shade);
    /// A mark as a pixmap of `side` logical pixels, for labels and buttons.
    static QPixmap markPixmap(int side, judge::CellState state, int yesVotes = 0, int noVotes = 0,
                              int failedVotes = 0, qreal dpr = 1.0);

private:
    void paintBadge(QPainter *painter, const QStyleOptionViewItem &option) const;

    int m_badgeColumn = -1;
};

} // namespace rs::ui
