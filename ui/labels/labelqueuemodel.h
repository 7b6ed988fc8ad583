#pragma once

#include "labels/labelqueue.h"

#include <QAbstractTableModel>

#include <vector>

namespace rs::ui {

/// The labelling queue as a table: position, response, criterion, the annotator's label and
/// — only once the annotator has answered — the judge's verdict, so the judge never primes
/// the human.
class LabelQueueModel final : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Position, Response, Criterion, Label, Judge, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    void setItems(std::vector<labels::QueueItem> items);
    const std::vector<labels::QueueItem> &items() const { return m_items; }
    /// Records the annotator's answer on a row (after the store has it).
    void setLabel(int row, std::optional<labels::LabelValue> label);
    /// The first row still to label at or after `from`, else -1.
    int nextOpen(int from = 0) const;
    int labelledCount() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<labels::QueueItem> m_items;
};

} // namespace rs::ui
