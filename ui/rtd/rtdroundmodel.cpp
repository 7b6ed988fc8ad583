#include "rtd/rtdroundmodel.h"

#include "common/roles.h"

namespace rs::ui {

RtdRoundModel::RtdRoundModel(QObject *parent) : QAbstractTableModel(parent) {}

void RtdRoundModel::setRounds(const QList<authoring::RtdRound> &rounds,
                              const QHash<qint64, QString> &generators,
                              const QHash<qint64, int> &versionNumbers)
{
    beginResetModel();
    m_rounds = rounds;
    m_generators = generators;
    m_versionNumbers = versionNumbers;
    endResetModel();
}

QString RtdRoundModel::versionText(qint64 versionId) const
{
    // Version ids count across every rubric of the project; the Rubric tab and the navigator
    // number a rubric's own versions, and so does this.
    const int number = m_versionNumbers.value(versionId);
    return number ? QStringLiteral("v%1").arg(number) : QStringLiteral("#%1").arg(versionId);
}

int RtdRoundModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rounds.size());
}

int RtdRoundModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RtdRoundModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const authoring::RtdRound &r = m_rounds.at(index.row());
    auto gen = [&](qint64 id) { return m_generators.value(id, QStringLiteral("#%1").arg(id)); };
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case RoundColumn:
            return r.series > 1 ? QStringLiteral("%1.%2").arg(r.series).arg(r.round) : QString::number(r.round);
        case PairColumn:
            return tr("%1  vs  %2").arg(gen(r.responseA), gen(r.responseB));
        case ScoresColumn:
            return QStringLiteral("%1 / %2").arg(r.scoreA, 0, 'f', 2).arg(r.scoreB, 0, 'f', 2);
        case TiesColumn:
            return r.tiesAtTop;
        case PoolColumn:
            return r.poolSize;
        case VersionColumn:
            return r.versionId ? versionText(r.versionId) : tr("pending");
        }
        return {};
    case Qt::ToolTipRole:
        return tr("Round %1 (%2): responses %3 and %4 scored %5 and %6; %7 tied at the top of a pool of %8")
            .arg(r.round)
            .arg(r.selection)
            .arg(r.responseA)
            .arg(r.responseB)
            .arg(r.scoreA, 0, 'f', 3)
            .arg(r.scoreB, 0, 'f', 3)
            .arg(r.tiesAtTop)
            .arg(r.poolSize);
    case RtdRoundRole:
        return r.round;
    case PairIdsRole:
        return QVariant::fromValue(QList<qint64>{r.responseA, r.responseB});
    case VersionIdRole:
        return r.versionId;
    case SortRole:
        return r.series * 1000 + r.round;
    }
    return {};
}

QVariant RtdRoundModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case RoundColumn:
        return tr("Round");
    case PairColumn:
        return tr("Pair (A vs B)");
    case ScoresColumn:
        return tr("Scores");
    case TiesColumn:
        return tr("Tied at top");
    case PoolColumn:
        return tr("Pool");
    case VersionColumn:
        return tr("Version");
    }
    return {};
}

} // namespace rs::ui
