#pragma once

#include "analytics/trainingstats.h"

#include <QAbstractTableModel>

namespace rs::ui {

/// The per-criterion pass rates of one step. Saturated criteria (no signal left for the
/// trainer) are marked in the last column and shaded. Qt::UserRole holds raw values.
class TrainingCriterionModel final : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Prompt, Criterion, PassRate, Judged, SinceFirst, State, Text, ColumnCount };

    explicit TrainingCriterionModel(QObject *parent = nullptr);

    void setCriteria(std::vector<analytics::CriterionPassRate> criteria);
    /// The criterion on `row`; null outside the table.
    const analytics::CriterionPassRate *criterionAt(int row) const;
    /// The row of a prompt's criterion; -1 when this step has none.
    int rowOf(qint64 promptId, const QString &stableId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<analytics::CriterionPassRate> m_criteria;
};

} // namespace rs::ui
