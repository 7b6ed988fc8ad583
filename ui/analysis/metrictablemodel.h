#pragma once

#include "analysis/metrictable.h"

#include <QAbstractTableModel>

namespace rs::ui {

/// A MetricTable as a read-only table model. DisplayRole is the formatted text, SortRole the
/// raw value (so a proxy sorts 0.9 before 0.10 correctly), PromptIdRole the row's prompt.
class MetricTableModel final : public QAbstractTableModel {
    Q_OBJECT

public:
    explicit MetricTableModel(QObject *parent = nullptr);

    void setTable(MetricTable table);
    const MetricTable &table() const { return m_table; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    MetricTable m_table;
};

} // namespace rs::ui
