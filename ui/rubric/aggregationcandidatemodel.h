#pragma once

#include "analytics/aggregationpreview.h"

#include <QAbstractTableModel>

#include <vector>

namespace rs::ui {

/// The aggregation preview's candidates side by side, "current" first and highlighted: top-tier
/// AUC, ties at the top, tail accuracy, groups with no GRPO signal, and the top tier's
/// advantage gap. MetricValueRole holds each raw number (invalid where the data allows none).
class AggregationCandidateModel final : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        NameColumn,
        AucColumn,
        TiesColumn,
        TailColumn,
        ZeroSpreadColumn,
        GapColumn,
        ColumnCount
    };

    explicit AggregationCandidateModel(QObject *parent = nullptr);

    /// `currentSummary`: the stored aggregation when every rubric has the same one.
    void setPreview(std::vector<analytics::CandidatePreview> candidates,
                    const QString &currentSummary);
    void clear();
    const std::vector<analytics::CandidatePreview> &candidates() const { return m_rows; }
    /// The candidate of `row`, or nullptr.
    const analytics::CandidatePreview *candidateAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QVariant rawValue(const analytics::CandidatePreview &c, int column) const;

    std::vector<analytics::CandidatePreview> m_rows;
    QString m_currentSummary;
};

} // namespace rs::ui
