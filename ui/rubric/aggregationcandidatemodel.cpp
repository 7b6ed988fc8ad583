#include "rubric/aggregationcandidatemodel.h"

#include "common/roles.h"

#include <QColor>
#include <QFont>
#include <QGuiApplication>
#include <QPalette>

namespace rs::ui {
namespace {

QVariant estimateValue(const std::optional<analytics::Estimate> &e) {
    return e ? QVariant(e->value) : QVariant();
}

} // namespace

AggregationCandidateModel::AggregationCandidateModel(QObject *parent)
    : QAbstractTableModel(parent) {}

void AggregationCandidateModel::setPreview(std::vector<analytics::CandidatePreview> candidates,
                                           const QString &currentSummary) {
    beginResetModel();
    m_rows = std::move(candidates);
    m_currentSummary = currentSummary;
    endResetModel();
}

void AggregationCandidateModel::clear() {
    setPreview({}, {});
}

const analytics::CandidatePreview *AggregationCandidateModel::candidateAt(int row) const {
    return row >= 0 && row < int(m_rows.size()) ? &m_rows[std::size_t(row)] : nullptr;
}

int AggregationCandidateModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int AggregationCandidateModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AggregationCandidateModel::rawValue(const analytics::CandidatePreview &c,
                                             int column) const {
    switch (column) {
    case NameColumn:
        return c.candidate.name;
    case AucColumn:
        return estimateValue(c.auc);
    case TiesColumn:
        return estimateValue(c.topTieRate);
    case TailColumn:
        return estimateValue(c.tailAccuracy);
    case ZeroSpreadColumn:
        return estimateValue(c.zeroSpreadShare);
    case GapColumn:
        return estimateValue(c.advantageGap);
    default:
        return {};
    }
}

QVariant AggregationCandidateModel::data(const QModelIndex &index, int role) const {
    const analytics::CandidatePreview *c = index.isValid() ? candidateAt(index.row()) : nullptr;
    if (!c)
        return {};
    const bool current = !c->candidate.spec;
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole: {
        if (column == NameColumn)
            return current && !m_currentSummary.isEmpty() ? tr("current (%1)").arg(m_currentSummary)
                   : current                              ? tr("current (per rubric)")
                                                          : c->candidate.name;
        const QVariant v = rawValue(*c, column);
        if (!v.isValid())
            return QStringLiteral("–");
        if (column == ZeroSpreadColumn)
            return QStringLiteral("%1/%2").arg(c->zeroSpreadGroups).arg(c->groups);
        if (column == GapColumn)
            return QString((v.toDouble() >= 0 ? QStringLiteral("+") : QString()) +
                           QString::number(v.toDouble(), 'f', 3));
        return QString::number(v.toDouble(), 'f', 3);
    }
    case MetricValueRole:
        return rawValue(*c, column);
    case CurrentAggregationRole:
        return current;
    case Qt::TextAlignmentRole:
        return column == NameColumn ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                    : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::FontRole:
        if (current) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case Qt::BackgroundRole:
        if (current) {
            // A tint of the selection colour: marks the row in light and dark looks alike
            // and stays distinct from the selection itself.
            QColor tint = QGuiApplication::palette().color(QPalette::Highlight);
            tint.setAlpha(45);
            return tint;
        }
        return {};
    case Qt::ToolTipRole:
        if (column == NameColumn)
            return current ? tr("Each rubric's stored aggregation: what scores use today")
                           : tr("Every rubric aggregated as %1").arg(c->candidate.name);
        if (column == ZeroSpreadColumn && c->zeroSpreadShare)
            return tr("%1 of %2 prompts (%3%) give every response the same reward")
                .arg(c->zeroSpreadGroups)
                .arg(c->groups)
                .arg(c->zeroSpreadShare->value * 100, 0, 'f', 1);
        return headerData(column, Qt::Horizontal, Qt::ToolTipRole);
    default:
        return {};
    }
}

QVariant AggregationCandidateModel::headerData(int section, Qt::Orientation orientation,
                                               int role) const {
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case NameColumn:
            return tr("Aggregation");
        case AucColumn:
            return tr("AUC");
        case TiesColumn:
            return tr("Top ties");
        case TailColumn:
            return tr("Tail acc.");
        case ZeroSpreadColumn:
            return tr("Zero spread");
        case GapColumn:
            return tr("Adv. gap");
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case AucColumn:
            return tr("Top-tier AUC: P(a top-tier response outscores one of the next tier), "
                      "pairs within a prompt, ties count half");
        case TiesColumn:
            return tr("Share of prompts whose two best responses tie on reward");
        case TailColumn:
            return tr("Share of gold-labelled pairs where the reward picks the gold winner");
        case ZeroSpreadColumn:
            return tr("Prompts whose responses all get the same reward: every GRPO advantage is 0, "
                      "so the step learns nothing from them");
        case GapColumn:
            return tr("Mean GRPO advantage (r − mean) / (std + 1e-6) of the top tier minus the "
                      "rest's, per prompt: how hard a step pushes towards the best responses");
        default:
            return {};
        }
    }
    return {};
}

} // namespace rs::ui
