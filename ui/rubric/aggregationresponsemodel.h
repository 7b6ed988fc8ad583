#pragma once

#include "analytics/aggregationpreview.h"

#include <QAbstractTableModel>

#include <vector>

namespace rs::ui {

/// One prompt's scored responses under the current aggregation and a chosen candidate: reward
/// and GRPO advantage under each. Top-tier responses are bold. MetricValueRole holds the raw
/// numbers, ResponseIdRole the response.
class AggregationResponseModel final : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        ResponseColumn,
        TierColumn,
        RewardColumn,
        CandidateRewardColumn,
        AdvantageColumn,
        CandidateAdvantageColumn,
        ColumnCount
    };

    explicit AggregationResponseModel(QObject *parent = nullptr);

    /// `current` and `candidate` hold the same responses in the same order.
    void setRows(std::vector<analytics::ResponseOutcome> current,
                 std::vector<analytics::ResponseOutcome> candidate, const QString &candidateName);
    void clear();
    const std::vector<analytics::ResponseOutcome> &current() const { return m_current; }
    const std::vector<analytics::ResponseOutcome> &candidate() const { return m_candidate; }
    QString candidateName() const { return m_name; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<analytics::ResponseOutcome> m_current;
    std::vector<analytics::ResponseOutcome> m_candidate;
    QString m_name;
};

} // namespace rs::ui
