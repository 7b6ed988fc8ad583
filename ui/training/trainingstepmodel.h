#pragma once

#include "analytics/trainingstats.h"

#include <QAbstractTableModel>

namespace rs::ui {

/// The steps of the served-rewards log, one row each: rewards, length, formatting, the
/// reward–length correlation and how many criteria have saturated. Qt::UserRole holds the
/// raw value of a cell (for sorting and tests).
class TrainingStepModel final : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        Step,
        Rewarded,
        Mean,
        P10,
        P50,
        P90,
        Chars,
        Words,
        Formatted,
        RewardLength,
        Saturated,
        Failed,
        ColumnCount
    };

    explicit TrainingStepModel(QObject *parent = nullptr);

    void setSteps(std::vector<analytics::StepStats> steps);
    const std::vector<analytics::StepStats> &steps() const { return m_steps; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<analytics::StepStats> m_steps;
};

} // namespace rs::ui
