#include "analysis/metrictablemodel.h"

#include "common/roles.h"

namespace rs::ui {

MetricTableModel::MetricTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void MetricTableModel::setTable(MetricTable table)
{
    beginResetModel();
    m_table = std::move(table);
    endResetModel();
}

int MetricTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_table.rows.size());
}

int MetricTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_table.headers.size());
}

QVariant MetricTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QVariantList &row = m_table.rows.at(index.row());
    const QVariant value = row.value(index.column());
    switch (role) {
    case Qt::DisplayRole:
        return metricCellText(value);
    case Qt::ToolTipRole:
        return value.typeId() == QMetaType::Double ? QString::number(value.toDouble(), 'g', 8)
                                                   : QVariant();
    case Qt::TextAlignmentRole:
        return value.typeId() == QMetaType::QString || !value.isValid()
                   ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                   : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case SortRole:
        return value;
    case MetricValueRole:
        return value;
    case PromptIdRole:
        return m_table.rowPromptIds.value(index.row());
    default:
        return {};
    }
}

QVariant MetricTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Horizontal)
        return m_table.headers.value(section);
    return section + 1;
}

} // namespace rs::ui
