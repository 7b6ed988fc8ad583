#pragma once

#include "judge/verdictgrid.h"

#include <QAbstractTableModel>
#include <QList>

namespace rs::ui {

class VerdictGridModel;

/// The Compare view's verdict table: one row per criterion, the criterion's text in the first
/// column and, in one column per compared response, its verdict mark with the judge's
/// rationale (CellStateRole and friends, for VerdictCellDelegate). The column headers carry
/// each response's generator, rank and reward, so the rows line up criterion by criterion.
class CompareVerdictModel final : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { CriterionColumn, FirstResponseColumn };

    explicit CompareVerdictModel(QObject *parent = nullptr);

    /// Shows the rows of `responseIds` from `grid` (unknown ids are skipped).
    void setResponses(const VerdictGridModel &grid, const QList<qint64> &responseIds);

    int responseCount() const { return int(m_rows.size()); }
    const judge::GridRow &responseRow(int i) const { return m_rows.at(i).row; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Entry final {
        judge::GridRow row;
        bool judged = false;
    };
    QList<judge::GridCriterion> m_criteria;
    QList<Entry> m_rows;
    QString m_scoring;
};

} // namespace rs::ui
