#pragma once

#include "verdicts/verdictfocus.h"

#include <QAbstractTableModel>

namespace rs::ui {

/// How a response's reward comes together: per criterion its weight, whether it was met
/// (judge or human), and what it adds to the reward under the rubric's aggregation (weighted
/// share, or HealthBench points over the positive points). The inspector shows it for the
/// selected row.
class RewardBreakdownModel final : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        IdColumn,
        WeightColumn,
        VerdictColumn,
        ContributionColumn,
        CriterionColumn,
        ColumnCount
    };

    explicit RewardBreakdownModel(QObject *parent = nullptr);

    void setFocus(const VerdictFocus &focus);

    /// What a criterion adds to the reward; 0 when not met.
    double contribution(int row) const;
    /// "0.69 = 9 of 13 weight met" and the like; for an implicit rubric "holistic score 7/10"
    /// with the judge's explanation; empty without a response.
    QString summaryText() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    bool usesPoints() const;
    QString holisticText() const;
    /// Σ w (weights) or Σ positive points: the denominator of the reward; with missing
    /// verdicts left out (MissingPolicy::Drop), over the criteria that had one.
    double denominator() const;
    /// Whether criterion `row` counts in the denominator under the focus's missing policy.
    bool inDenominator(int row) const;

    VerdictFocus m_focus;
};

} // namespace rs::ui
