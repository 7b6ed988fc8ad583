#include "rtd/rtdproposalmodel.h"

#include "common/roles.h"
#include "rubric/rubricdiffmodel.h"

#include <QBrush>
#include <QColor>

namespace rs::ui {

RtdProposalModel::RtdProposalModel(QObject *parent) : QAbstractTableModel(parent) {}

void RtdProposalModel::setProposal(const QList<CriterionRecord> &previous,
                                   const QList<rubric::CriterionDraft> &proposed)
{
    beginResetModel();
    m_proposed = proposed;
    QList<CriterionRecord> to;
    for (const auto &d : proposed)
        to.push_back(CriterionRecord{0, d.stableId, d.text, d.weight, d.category, d.tags,
                                     d.checkJson, d.veto});
    m_diff = rubric::diffCriteria(previous, to);
    m_accepted = QList<bool>(m_diff.entries.size(), true);
    m_saved = false;
    endResetModel();
}

void RtdProposalModel::setSavedRound(const QList<CriterionRecord> &previous,
                                     const QList<CriterionRecord> &saved)
{
    beginResetModel();
    m_proposed.clear();
    for (const CriterionRecord &c : saved)
        m_proposed.push_back(rubric::CriterionDraft{c.stableId, c.text, c.weight, c.category,
                                                    c.tags, c.checkJson, c.veto});
    m_diff = rubric::diffCriteria(previous, saved);
    m_accepted = QList<bool>(m_diff.entries.size(), true);
    m_saved = true;
    endResetModel();
}

void RtdProposalModel::clear()
{
    beginResetModel();
    m_diff = {};
    m_proposed.clear();
    m_accepted.clear();
    m_saved = false;
    endResetModel();
}

void RtdProposalModel::setAllAccepted(bool accepted)
{
    for (auto &a : m_accepted)
        a = accepted;
    if (!m_accepted.isEmpty())
        Q_EMIT dataChanged(index(0, AcceptColumn), index(rowCount() - 1, AcceptColumn), {Qt::CheckStateRole, AcceptedRole});
}

int RtdProposalModel::changes() const
{
    return int(std::count_if(m_diff.entries.begin(), m_diff.entries.end(),
                             [](const rubric::DiffEntry &e) { return e.kind != rubric::DiffKind::Unchanged; }));
}

int RtdProposalModel::acceptedChanges() const
{
    int n = 0;
    for (qsizetype i = 0; i < m_diff.entries.size(); ++i)
        n += m_accepted[i] && m_diff.entries[i].kind != rubric::DiffKind::Unchanged;
    return n;
}

QList<rubric::CriterionDraft> RtdProposalModel::acceptedCriteria() const
{
    QList<rubric::CriterionDraft> out;
    for (qsizetype i = 0; i < m_diff.entries.size(); ++i) {
        const auto &e = m_diff.entries[i];
        if (m_accepted[i] || e.kind == rubric::DiffKind::Unchanged) {
            for (int t : e.to)
                out.push_back(m_proposed.at(t));
        } else {
            // Rejected: the old criteria stay as they were, ids and all.
            for (int f : e.from) {
                const CriterionRecord &c = m_diff.fromCriteria.at(f);
                out.push_back(rubric::CriterionDraft{c.stableId, c.text, c.weight, c.category,
                                                     c.tags, c.checkJson, c.veto});
            }
        }
    }
    return out;
}

int RtdProposalModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_diff.entries.size());
}

int RtdProposalModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString RtdProposalModel::sideText(const QList<int> &indices, bool from) const
{
    QStringList parts;
    for (int i : indices) {
        const CriterionRecord &c = from ? m_diff.fromCriteria.at(i) : m_diff.toCriteria.at(i);
        parts << QStringLiteral("%1 (w%2) %3").arg(c.stableId.isEmpty() ? QStringLiteral("new") : c.stableId).arg(c.weight).arg(c.text);
    }
    return parts.join(QLatin1Char('\n'));
}

QVariant RtdProposalModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const rubric::DiffEntry &e = m_diff.entries.at(index.row());
    const bool unchanged = e.kind == rubric::DiffKind::Unchanged;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case ChangeColumn:
            return rubric::diffKindName(e.kind);
        case BeforeColumn:
            return sideText(e.from, true);
        case AfterColumn:
            return sideText(e.to, false);
        }
        return {};
    case Qt::CheckStateRole:
        if (index.column() == AcceptColumn && !unchanged && !m_saved)
            return m_accepted.at(index.row()) ? Qt::Checked : Qt::Unchecked;
        return {};
    case Qt::ForegroundRole:
        if (unchanged)
            return QBrush(QColor(0x80, 0x80, 0x80));
        if (!m_accepted.at(index.row()) && index.column() == AfterColumn)
            return QBrush(QColor(0xa0, 0xa0, 0xa0));
        return {};
    case Qt::BackgroundRole:
        if (index.column() != ChangeColumn || unchanged)
            return {};
        return QBrush(RubricDiffModel::kindColour(e.kind));
    case DiffKindRole:
        return int(e.kind);
    case AcceptedRole:
        return unchanged || m_accepted.at(index.row());
    }
    return {};
}

bool RtdProposalModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) ||
        index.column() != AcceptColumn || role != Qt::CheckStateRole ||
        m_diff.entries.at(index.row()).kind == rubric::DiffKind::Unchanged || m_saved)
        return false;
    m_accepted[index.row()] = value.toInt() == Qt::Checked;
    Q_EMIT dataChanged(index, this->index(index.row(), AfterColumn), {Qt::CheckStateRole, AcceptedRole, Qt::ForegroundRole});
    return true;
}

Qt::ItemFlags RtdProposalModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == AcceptColumn && !m_saved &&
        m_diff.entries.at(index.row()).kind != rubric::DiffKind::Unchanged)
        f |= Qt::ItemIsUserCheckable;
    return f;
}

QVariant RtdProposalModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case AcceptColumn:
        return m_saved ? QString() : tr("Accept");
    case ChangeColumn:
        return tr("Change");
    case BeforeColumn:
        return tr("Before");
    case AfterColumn:
        return m_saved ? tr("Accepted") : tr("Proposed");
    }
    return {};
}

} // namespace rs::ui
