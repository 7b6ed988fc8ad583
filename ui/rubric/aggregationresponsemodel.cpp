#include "rubric/aggregationresponsemodel.h"

#include "common/roles.h"

#include <QFont>

namespace rs::ui {

AggregationResponseModel::AggregationResponseModel(QObject *parent)
    : QAbstractTableModel(parent) {}

void AggregationResponseModel::setRows(std::vector<analytics::ResponseOutcome> current,
                                       std::vector<analytics::ResponseOutcome> candidate,
                                       const QString &candidateName) {
    beginResetModel();
    m_current = std::move(current);
    m_candidate = candidate.size() == m_current.size() ? std::move(candidate) : m_current;
    m_name = candidateName;
    endResetModel();
}

void AggregationResponseModel::clear() {
    setRows({}, {}, {});
}

int AggregationResponseModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_current.size());
}

int AggregationResponseModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AggregationResponseModel::data(const QModelIndex &index, int role) const {
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const analytics::ResponseOutcome &cur = m_current[std::size_t(index.row())];
    const analytics::ResponseOutcome &cand = m_candidate[std::size_t(index.row())];
    const auto raw = [&]() -> QVariant {
        switch (index.column()) {
        case ResponseColumn:
            return cur.responseId;
        case TierColumn:
            return cur.tier;
        case RewardColumn:
            return cur.reward;
        case CandidateRewardColumn:
            return cand.reward;
        case AdvantageColumn:
            return cur.advantage;
        case CandidateAdvantageColumn:
            return cand.advantage;
        default:
            return {};
        }
    };
    switch (role) {
    case Qt::DisplayRole: {
        const QVariant v = raw();
        switch (index.column()) {
        case ResponseColumn:
            return QStringLiteral("#%1").arg(cur.responseId);
        case TierColumn:
            return cur.tier.isEmpty() ? QStringLiteral("–") : cur.tier;
        case AdvantageColumn:
        case CandidateAdvantageColumn:
            return QString((v.toDouble() >= 0 ? QStringLiteral("+") : QString()) +
                           QString::number(v.toDouble(), 'f', 2));
        default:
            return QString::number(v.toDouble(), 'f', 3);
        }
    }
    case MetricValueRole:
        return raw();
    case ResponseIdRole:
        return cur.responseId;
    case GeneratorRole:
        return cur.generator;
    case TierRole:
        return cur.tier;
    case Qt::ToolTipRole:
        return tr("#%1 by %2 · soft reward %3 now, %4 under %5")
            .arg(cur.responseId)
            .arg(cur.generator)
            .arg(cur.softReward, 0, 'f', 3)
            .arg(cand.softReward, 0, 'f', 3)
            .arg(m_name);
    case Qt::TextAlignmentRole:
        return index.column() <= TierColumn ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                            : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::FontRole:
        if (cur.topTier) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    default:
        return {};
    }
}

QVariant AggregationResponseModel::headerData(int section, Qt::Orientation orientation,
                                              int role) const {
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case ResponseColumn:
            return tr("Id");
        case TierColumn:
            return tr("Tier");
        case RewardColumn:
            return tr("Reward");
        case CandidateRewardColumn:
            return tr("Reward′");
        case AdvantageColumn:
            return tr("A");
        case CandidateAdvantageColumn:
            return tr("A′");
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case ResponseColumn:
            return tr("The response; hover a row for its generator and soft rewards");
        case RewardColumn:
            return tr("Reward under the rubric's current aggregation");
        case CandidateRewardColumn:
            return tr("Reward under %1").arg(m_name);
        case AdvantageColumn:
            return tr("GRPO advantage under the current aggregation: (r − mean) / (std + 1e-6) "
                      "over this prompt's responses");
        case CandidateAdvantageColumn:
            return tr("GRPO advantage under %1").arg(m_name);
        case TierColumn:
            return tr("Bold: the top tier");
        default:
            return {};
        }
    }
    return {};
}

} // namespace rs::ui
