#include "labels/labelqueuemodel.h"

namespace rs::ui {

void LabelQueueModel::setItems(std::vector<labels::QueueItem> items) {
    beginResetModel();
    m_items = std::move(items);
    endResetModel();
}

void LabelQueueModel::setLabel(int row, std::optional<labels::LabelValue> label) {
    if (row < 0 || row >= rowCount())
        return;
    m_items[std::size_t(row)].label = label;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

int LabelQueueModel::nextOpen(int from) const {
    for (int r = std::max(0, from); r < rowCount(); ++r)
        if (!m_items[std::size_t(r)].label)
            return r;
    for (int r = 0; r < std::min(from, rowCount()); ++r)
        if (!m_items[std::size_t(r)].label)
            return r;
    return -1;
}

int LabelQueueModel::labelledCount() const {
    return int(std::count_if(m_items.begin(), m_items.end(),
                             [](const labels::QueueItem &i) { return i.label.has_value(); }));
}

int LabelQueueModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_items.size());
}

int LabelQueueModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LabelQueueModel::data(const QModelIndex &index, int role) const {
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const labels::QueueItem &item = m_items[std::size_t(index.row())];
    if (role == Qt::ToolTipRole && index.column() == Criterion)
        return item.cell.criterion;
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Position:
        return index.row() + 1;
    case Response:
        return item.cell.responseId;
    case Criterion:
        return item.cell.criterion;
    case Label:
        return item.label ? labels::labelValueName(*item.label) : QVariant();
    case Judge:
        // Hidden until the human has answered: a visible verdict would anchor the label.
        if (!item.label)
            return tr("(hidden)");
        return item.judge ? (*item.judge ? tr("yes") : tr("no")) : tr("tie");
    default:
        return {};
    }
}

QVariant LabelQueueModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Position:
        return tr("#");
    case Response:
        return tr("response");
    case Criterion:
        return tr("criterion");
    case Label:
        return tr("you");
    case Judge:
        return tr("judge");
    default:
        return {};
    }
}

} // namespace rs::ui
