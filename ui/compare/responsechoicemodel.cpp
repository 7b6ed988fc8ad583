#include "compare/responsechoicemodel.h"

#include "common/roles.h"
#include "verdicts/verdictgridmodel.h"
#include "verdicts/verdicttext.h"

namespace rs::ui {

ResponseChoiceModel::ResponseChoiceModel(VerdictGridModel *grid, QObject *parent)
    : QAbstractListModel(parent)
    , m_grid(grid)
{
    connect(grid, &QAbstractItemModel::modelAboutToBeReset, this,
            &ResponseChoiceModel::beginResetModel);
    connect(grid, &QAbstractItemModel::modelReset, this, &ResponseChoiceModel::onGridReset);
    connect(grid, &QAbstractItemModel::dataChanged, this, &ResponseChoiceModel::emitAllChanged);
    m_promptId = grid->loadedPromptId();
}

void ResponseChoiceModel::onGridReset()
{
    const qint64 promptId = m_grid->loadedPromptId();
    const qsizetype before = m_chosen.size();
    if (promptId != m_promptId) {
        m_chosen.clear();
    } else {
        m_chosen.removeIf([this](qint64 id) { return m_grid->rowOfResponse(id) < 0; });
    }
    m_promptId = promptId;
    endResetModel();
    if (m_chosen.size() != before)
        Q_EMIT chosenChanged();
}

void ResponseChoiceModel::emitAllChanged()
{
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0), index(rowCount() - 1));
}

void ResponseChoiceModel::setChosen(const QList<qint64> &responseIds)
{
    QList<qint64> chosen;
    for (qint64 id : responseIds)
        if (m_grid->rowOfResponse(id) >= 0 && !chosen.contains(id) && chosen.size() < kMaxChosen)
            chosen << id;
    if (chosen == m_chosen)
        return;
    m_chosen = chosen;
    emitAllChanged();
    Q_EMIT chosenChanged();
}

int ResponseChoiceModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_grid->rowCount();
}

QVariant ResponseChoiceModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const judge::GridRow &r = m_grid->row(row);
    switch (role) {
    case Qt::DisplayRole: {
        QString text = r.generator;
        if (!r.tier.isEmpty())
            text += QStringLiteral(" · ") + r.tier;
        if (m_grid->isJudged(row))
            text = tr("#%1 %2 · %3").arg(r.rank).arg(text, rewardText(r.reward));
        return text;
    }
    case Qt::ToolTipRole:
        return tr("Response %1 by %2").arg(r.responseId).arg(r.generator);
    case Qt::CheckStateRole:
        return m_chosen.contains(r.responseId) ? Qt::Checked : Qt::Unchecked;
    case ResponseIdRole:
        return r.responseId;
    case GeneratorRole:
        return r.generator;
    case TierRole:
        return r.tier;
    case RewardRole:
        return m_grid->isJudged(row) ? QVariant(r.reward) : QVariant();
    case RankRole:
        return m_grid->isJudged(row) ? QVariant(r.rank) : QVariant();
    default:
        return {};
    }
}

bool ResponseChoiceModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::CheckStateRole ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    const qint64 id = m_grid->row(index.row()).responseId;
    const bool check = value.value<Qt::CheckState>() == Qt::Checked;
    if (check == m_chosen.contains(id))
        return true;
    if (check) {
        if (m_chosen.size() >= kMaxChosen) {
            const int dropped = m_grid->rowOfResponse(m_chosen.takeFirst());
            if (dropped >= 0)
                Q_EMIT dataChanged(this->index(dropped), this->index(dropped),
                                   {Qt::CheckStateRole});
        }
        m_chosen << id;
    } else {
        m_chosen.removeOne(id);
    }
    Q_EMIT dataChanged(index, index, {Qt::CheckStateRole});
    Q_EMIT chosenChanged();
    return true;
}

Qt::ItemFlags ResponseChoiceModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable;
}

} // namespace rs::ui
