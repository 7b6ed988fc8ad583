#include "compare/compareverdictmodel.h"

#include "common/roles.h"
#include "common/uitext.h"
#include "verdicts/verdictgridmodel.h"
#include "verdicts/verdicttext.h"

namespace rs::ui {

CompareVerdictModel::CompareVerdictModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void CompareVerdictModel::setResponses(const VerdictGridModel &grid,
                                       const QList<qint64> &responseIds)
{
    QList<Entry> rows;
    for (qint64 id : responseIds) {
        const int row = grid.rowOfResponse(id);
        if (row >= 0)
            rows << Entry{grid.row(row), grid.isJudged(row)};
    }
    const QList<judge::GridCriterion> &criteria = grid.grid().criteria;
    bool sameShape = rows.size() == m_rows.size() && criteria.size() == m_criteria.size();
    for (qsizetype i = 0; sameShape && i < rows.size(); ++i)
        sameShape = rows[i].row.responseId == m_rows[i].row.responseId;
    for (qsizetype i = 0; sameShape && i < criteria.size(); ++i)
        sameShape = criteria[i].stableId == m_criteria[i].stableId;
    if (sameShape) {
        // An override or another run: same table, new marks; the view keeps its place.
        m_rows = rows;
        m_criteria = criteria;
        m_scoring = grid.grid().scoring;
        if (rowCount() > 0)
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
        Q_EMIT headerDataChanged(Qt::Horizontal, 0, columnCount() - 1);
        return;
    }
    beginResetModel();
    m_rows = rows;
    m_criteria = criteria;
    m_scoring = grid.grid().scoring;
    endResetModel();
}

int CompareVerdictModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || m_rows.isEmpty() ? 0 : int(m_criteria.size());
}

int CompareVerdictModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : FirstResponseColumn + int(m_rows.size());
}

QVariant CompareVerdictModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const judge::GridCriterion &c = m_criteria.at(index.row());
    if (index.column() == CriterionColumn) {
        switch (role) {
        case Qt::DisplayRole:
            return c.text;
        case Qt::ToolTipRole:
            return tr("%1 · weight %2\n%3").arg(c.stableId, weightText(c.weight), c.text);
        case Qt::TextAlignmentRole:
            return QVariant(Qt::AlignLeft | Qt::AlignTop);
        case CriterionIndexRole:
            return index.row();
        case CriterionIdRole:
            return c.stableId;
        case WeightRole:
            return c.weight;
        default:
            return {};
        }
    }
    const Entry &entry = m_rows.at(index.column() - FirstResponseColumn);
    const judge::GridCell &cell = entry.row.cells.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return cell.rationale.isEmpty() ? stateText(cell.state) : cell.rationale;
    case Qt::ToolTipRole:
        return cellToolTip(c, cell);
    case Qt::TextAlignmentRole:
        return QVariant(Qt::AlignLeft | Qt::AlignTop);
    case ResponseIdRole:
        return entry.row.responseId;
    case CriterionIndexRole:
        return index.row();
    case CriterionIdRole:
        return c.stableId;
    case CellStateRole:
        return int(cell.state);
    case YesVotesRole:
        return cell.yesVotes;
    case NoVotesRole:
        return cell.noVotes;
    case FailedVotesRole:
        return cell.failedVotes;
    case RationaleRole:
        return cell.rationale;
    case OverrideIdRole:
        return cell.overrideId;
    case OverrideNoteRole:
        return cell.overrideNote;
    default:
        return {};
    }
}

QVariant CompareVerdictModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical) {
        if (section < 0 || section >= m_criteria.size())
            return {};
        const judge::GridCriterion &c = m_criteria.at(section);
        if (role == Qt::DisplayRole)
            return tr("%1 · %2").arg(c.stableId, weightText(c.weight));
        if (role == Qt::ToolTipRole)
            return tr("Criterion %1, weight %2").arg(c.stableId, weightText(c.weight));
        return {};
    }
    if (section == CriterionColumn)
        return role == Qt::DisplayRole ? QVariant(tr("Criterion")) : QVariant();
    const int i = section - FirstResponseColumn;
    if (i < 0 || i >= m_rows.size())
        return {};
    const Entry &entry = m_rows.at(i);
    const QString letter = QString(QChar(u'A' + i));
    switch (role) {
    case Qt::DisplayRole:
        if (!entry.judged)
            return tr("%1 · %2\nreward —").arg(letter, entry.row.generator);
        return tr("%1 · %2\n#%3 · reward %4")
            .arg(letter, entry.row.generator)
            .arg(entry.row.rank)
            .arg(rewardText(entry.row.reward));
    case Qt::ToolTipRole:
        return tr("Response %1 · %2 · tier %3")
            .arg(entry.row.responseId)
            .arg(entry.row.generator, entry.row.tier.isEmpty() ? tr("none") : entry.row.tier);
    case ResponseIdRole:
        return entry.row.responseId;
    case RewardRole:
        return entry.judged ? QVariant(entry.row.reward) : QVariant();
    default:
        return {};
    }
}

} // namespace rs::ui
