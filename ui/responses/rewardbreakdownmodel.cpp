#include "responses/rewardbreakdownmodel.h"

#include "common/roles.h"
#include "common/uitext.h"
#include "verdicts/verdicttext.h"

#include <QColor>

#include <cmath>

namespace rs::ui {
namespace {

QString signedText(double value)
{
    if (value == 0)
        return QStringLiteral("0");
    const QString digits = QString::number(std::abs(value), 'f', 3);
    return (value < 0 ? QString(QChar(0x2212)) : QStringLiteral("+")) + digits;
}

} // namespace

RewardBreakdownModel::RewardBreakdownModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void RewardBreakdownModel::setFocus(const VerdictFocus &focus)
{
    // Moving between responses of one prompt keeps the rows: no reset, no lost scroll.
    const int rows = rowCount();
    if (rows > 0 && focus.hasResponse() && focus.row.cells.size() == rows &&
        focus.criteria.size() == m_focus.criteria.size()) {
        m_focus = focus;
        Q_EMIT dataChanged(index(0, 0), index(rows - 1, ColumnCount - 1));
        Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
        return;
    }
    beginResetModel();
    m_focus = focus;
    endResetModel();
}

bool RewardBreakdownModel::usesPoints() const
{
    return m_focus.scoring == QLatin1String("points");
}

bool RewardBreakdownModel::inDenominator(int row) const
{
    if (m_focus.missing == judge::MissingPolicy::CountAsNo || row >= m_focus.row.cells.size())
        return true;
    // Left out when the reward had no verdict to use: as judge::reward sees the cell.
    const judge::GridCell &cell = m_focus.row.cells.at(row);
    return isOverridden(cell.state) || judge::majority(cell.yesVotes, cell.noVotes).has_value();
}

double RewardBreakdownModel::denominator() const
{
    double sum = 0;
    for (int i = 0; i < m_focus.criteria.size(); ++i) {
        const judge::GridCriterion &c = m_focus.criteria.at(i);
        if ((!usesPoints() || c.weight > 0) && inDenominator(i))
            sum += c.weight;
    }
    return sum;
}

double RewardBreakdownModel::contribution(int row) const
{
    // An implicit reward is the holistic score, not a sum over the criteria.
    if (m_focus.implicit || row < 0 || row >= m_focus.row.cells.size())
        return 0;
    const double den = denominator();
    if (den == 0 || !isMet(m_focus.row.cells.at(row).state))
        return 0;
    return m_focus.criteria.at(row).weight / den;
}

QString RewardBreakdownModel::summaryText() const
{
    if (!m_focus.hasResponse() || m_focus.criteria.isEmpty())
        return {};
    if (!m_focus.judged)
        return m_focus.runId == 0 ? tr("No judge run yet: no reward.")
                                  : tr("Not judged in this run: no reward.");
    if (m_focus.implicit)
        return holisticText();
    double earned = 0;
    for (int i = 0; i < m_focus.row.cells.size(); ++i)
        if (isMet(m_focus.row.cells.at(i).state))
            earned += m_focus.criteria.at(i).weight;
    const QString reward = rewardText(m_focus.row.reward);
    int leftOut = 0;
    for (int i = 0; i < m_focus.criteria.size(); ++i)
        leftOut += inDenominator(i) ? 0 : 1;
    const QString note =
        leftOut ? tr(" (%n without a verdict left out)", nullptr, leftOut) : QString();
    if (usesPoints())
        return tr("Reward %1 = %2 of %3 points, clipped to [0, 1]")
                   .arg(reward, weightText(earned), weightText(denominator())) +
               note;
    return tr("Reward %1 = %2 of %3 weight met")
               .arg(reward, weightText(earned), weightText(denominator())) +
           note;
}

QString RewardBreakdownModel::holisticText() const {
    const judge::GridRow &r = m_focus.row;
    QString text;
    if (r.holisticScore < 0) {
        text = tr("Reward %1: no holistic score in this run").arg(rewardText(r.reward));
    } else {
        text = tr("Reward %1 from the holistic score %2/10")
                   .arg(rewardText(r.reward), QString::number(r.holisticScore, 'g', 3));
        if (r.holisticScores > 1)
            text += tr(" (the mean of %n gradings)", nullptr, r.holisticScores);
        text += tr(": (score − 1) / 9, then the rubric's shaping and veto cap");
    }
    if (!r.holisticRationale.isEmpty())
        text += QLatin1Char('\n') + tr("Judge: %1").arg(r.holisticRationale);
    return text;
}

int RewardBreakdownModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_focus.hasResponse() ? 0 : int(m_focus.row.cells.size());
}

int RewardBreakdownModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RewardBreakdownModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const judge::GridCriterion &c = m_focus.criteria.at(index.row());
    const judge::GridCell &cell = m_focus.row.cells.at(index.row());
    const int column = index.column();
    if (column == VerdictColumn) {
        switch (role) {
        case Qt::DisplayRole:
            return stateText(cell.state);
        case Qt::ToolTipRole:
            return cellToolTip(c, cell);
        case CellStateRole:
            return int(cell.state);
        case YesVotesRole:
            return cell.yesVotes;
        case NoVotesRole:
            return cell.noVotes;
        case FailedVotesRole:
            return cell.failedVotes;
        default:
            break;
        }
    }
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case IdColumn:
            return c.stableId;
        case WeightColumn:
            return weightText(c.weight);
        case ContributionColumn:
            if (c.guidance)
                return tr("guidance");
            return isDecided(cell.state) && !m_focus.implicit
                       ? signedText(contribution(index.row()))
                       : QStringLiteral("—");
        case CriterionColumn:
            return c.text;
        }
        return {};
    case Qt::ToolTipRole:
        if (column == CriterionColumn)
            return c.text;
        return {};
    case Qt::TextAlignmentRole:
        if (column == WeightColumn || column == ContributionColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    case CriterionIndexRole:
        return index.row();
    case CriterionIdRole:
        return c.stableId;
    case CriterionTextRole:
        return c.text;
    case WeightRole:
        return c.weight;
    case SortRole:
        return column == ContributionColumn ? contribution(index.row()) : QVariant(index.row());
    default:
        return {};
    }
}

QVariant RewardBreakdownModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case IdColumn:
        return tr("Id");
    case WeightColumn:
        return usesPoints() ? tr("Points") : tr("Weight");
    case VerdictColumn:
        return tr("Met?");
    case ContributionColumn:
        return tr("Adds");
    case CriterionColumn:
        return tr("Criterion");
    }
    return {};
}

} // namespace rs::ui
