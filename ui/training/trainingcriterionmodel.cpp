#include "training/trainingcriterionmodel.h"

#include <QBrush>
#include <QColor>

#include <iterator>

namespace rs::ui {

TrainingCriterionModel::TrainingCriterionModel(QObject *parent)
    : QAbstractTableModel(parent) {}

void TrainingCriterionModel::setCriteria(std::vector<analytics::CriterionPassRate> criteria) {
    beginResetModel();
    m_criteria = std::move(criteria);
    endResetModel();
}

const analytics::CriterionPassRate *TrainingCriterionModel::criterionAt(int row) const {
    return row >= 0 && std::size_t(row) < m_criteria.size() ? &m_criteria[std::size_t(row)]
                                                            : nullptr;
}

int TrainingCriterionModel::rowOf(qint64 promptId, const QString &stableId) const {
    for (std::size_t i = 0; i < m_criteria.size(); ++i)
        if (m_criteria[i].promptId == promptId && m_criteria[i].stableId == stableId)
            return int(i);
    return -1;
}

int TrainingCriterionModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_criteria.size());
}

int TrainingCriterionModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TrainingCriterionModel::data(const QModelIndex &index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount)
        return {};
    const analytics::CriterionPassRate &c = m_criteria[std::size_t(index.row())];
    if (role == Qt::BackgroundRole && c.saturated)
        return QBrush(QColor(0xff, 0xb0, 0x40, 60));
    if (role == Qt::ToolTipRole && index.column() == Text)
        return c.text;
    if (role == Qt::ToolTipRole && index.column() == State && c.saturated)
        return c.passRate >= 0.5 ? tr("Saturated: met by nearly every response; no signal left")
                                 : tr("Saturated: met by almost no response; no signal left");
    if (role == Qt::TextAlignmentRole && index.column() != Text && index.column() != State)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::UserRole)
        return {};
    const bool raw = role == Qt::UserRole;
    switch (Column(index.column())) {
    case Prompt:
        return c.promptId;
    case Criterion:
        return c.stableId;
    case PassRate:
        return raw ? QVariant(c.passRate)
                   : QVariant(QStringLiteral("%1%").arg(c.passRate * 100, 0, 'f', 1));
    case Judged:
        return c.judged;
    case SinceFirst:
        if (!c.changeSinceFirst)
            return {};
        return raw ? QVariant(*c.changeSinceFirst)
                   : QVariant(QStringLiteral("%1%2")
                                  .arg(*c.changeSinceFirst >= 0 ? QStringLiteral("+") : QString())
                                  .arg(*c.changeSinceFirst, 0, 'f', 2));
    case State:
        if (raw)
            return c.saturated;
        return c.saturated ? (c.passRate >= 0.5 ? tr("saturated ↑") : tr("saturated ↓"))
                           : QString();
    case Text:
        return c.text;
    case ColumnCount:
        break;
    }
    return {};
}

QVariant TrainingCriterionModel::headerData(int section, Qt::Orientation orientation,
                                            int role) const {
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole && section == SinceFirst)
        return tr("The pass rate now minus at the first step that judged this criterion: what "
                  "the policy gained on it");
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *const names[] = {QT_TR_NOOP("Prompt"),      QT_TR_NOOP("Criterion"),
                                        QT_TR_NOOP("Pass rate"),   QT_TR_NOOP("Judged"),
                                        QT_TR_NOOP("Since first"), QT_TR_NOOP(""),
                                        QT_TR_NOOP("Text")};
    static_assert(std::size(names) == ColumnCount);
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace rs::ui
