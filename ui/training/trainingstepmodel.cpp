#include "training/trainingstepmodel.h"

#include <QBrush>
#include <QColor>

namespace rs::ui {

TrainingStepModel::TrainingStepModel(QObject *parent)
    : QAbstractTableModel(parent) {}

void TrainingStepModel::setSteps(std::vector<analytics::StepStats> steps) {
    beginResetModel();
    m_steps = std::move(steps);
    endResetModel();
}

int TrainingStepModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_steps.size());
}

int TrainingStepModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TrainingStepModel::data(const QModelIndex &index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount)
        return {};
    const analytics::StepStats &s = m_steps[std::size_t(index.row())];
    if (role == Qt::TextAlignmentRole)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ForegroundRole && index.column() == Saturated && s.saturatedCriteria > 0)
        return QBrush(QColor(0xc0, 0x60, 0x00));
    if (role == Qt::ToolTipRole && index.column() == RewardLength)
        return s.rewardLength ? tr("Spearman rho %1, p = %2, n = %3")
                                    .arg(s.rewardLength->rho, 0, 'f', 3)
                                    .arg(s.rewardLength->pValue, 0, 'g', 3)
                                    .arg(s.rewardLength->n)
                              : tr("Fewer than 3 rewards or a constant side: no correlation");
    if (role != Qt::DisplayRole && role != Qt::UserRole)
        return {};
    const bool raw = role == Qt::UserRole;
    auto number = [raw](double v, int decimals) -> QVariant {
        return raw ? QVariant(v) : QVariant(QString::number(v, 'f', decimals));
    };
    switch (Column(index.column())) {
    case Step:
        return s.step;
    case Rewarded:
        return s.rewarded;
    case Mean:
        return number(s.meanReward, 3);
    case P10:
        return number(s.p10, 3);
    case P50:
        return number(s.p50, 3);
    case P90:
        return number(s.p90, 3);
    case Chars:
        return number(s.meanChars, 0);
    case Words:
        return number(s.meanWords, 0);
    case Formatted:
        return raw ? QVariant(s.formattedShare)
                   : QVariant(QStringLiteral("%1%").arg(qRound(s.formattedShare * 100)));
    case RewardLength:
        if (!s.rewardLength)
            return raw ? QVariant() : QVariant(QStringLiteral("–"));
        return number(s.rewardLength->rho, 2);
    case Saturated:
        return raw ? QVariant(s.saturatedCriteria)
                   : QVariant(
                         QStringLiteral("%1 / %2").arg(s.saturatedCriteria).arg(s.criteria.size()));
    case Failed:
        return s.failed;
    case ColumnCount:
        break;
    }
    return {};
}

QVariant TrainingStepModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Rewarded:
            return tr("Rewards served at this step");
        case Formatted:
            return tr("Share of responses with a Markdown header or list");
        case RewardLength:
            return tr("Spearman correlation of reward and length: near 1, longer answers win");
        case Saturated:
            return tr("Criteria passed by at least 95% or at most 5% of the responses");
        case Failed:
            return tr("Requests answered with an error (a failed judge call)");
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    static const char *const names[] = {
        QT_TR_NOOP("Step"), QT_TR_NOOP("n"),     QT_TR_NOOP("Mean"),  QT_TR_NOOP("p10"),
        QT_TR_NOOP("p50"),  QT_TR_NOOP("p90"),   QT_TR_NOOP("Chars"), QT_TR_NOOP("Words"),
        QT_TR_NOOP("Fmt"),  QT_TR_NOOP("ρ len"), QT_TR_NOOP("Sat."),  QT_TR_NOOP("Failed")};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace rs::ui
