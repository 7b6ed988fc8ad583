#include "rubric/rubricdiffmodel.h"

#include "common/roles.h"
#include "common/uitext.h"

#include <QBrush>
#include <QColor>

namespace rs::ui {

QColor RubricDiffModel::kindColour(rubric::DiffKind kind) {
    switch (kind) {
    case rubric::DiffKind::Added:
        return QColor(0x26, 0xa2, 0x69, 60);
    case rubric::DiffKind::Removed:
        return QColor(0xe0, 0x1b, 0x24, 55);
    case rubric::DiffKind::Rewritten:
        return QColor(0xf5, 0xc2, 0x11, 70);
    case rubric::DiffKind::Reweighted:
        return QColor(0x35, 0x84, 0xe4, 55);
    case rubric::DiffKind::Split:
    case rubric::DiffKind::Merged:
        return QColor(0x91, 0x41, 0xac, 55);
    case rubric::DiffKind::Unchanged:
        return {};
    }
    return {};
}

RubricDiffModel::RubricDiffModel(QObject *parent)
    : QAbstractTableModel(parent) {}

void RubricDiffModel::setDiff(const rubric::RubricDiff &diff, const QString &fromLabel,
                              const QString &toLabel) {
    beginResetModel();
    m_diff = diff;
    m_fromLabel = fromLabel;
    m_toLabel = toLabel;
    rebuildRows();
    endResetModel();
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
}

void RubricDiffModel::clear() {
    setDiff({}, {}, {});
}

void RubricDiffModel::setShowUnchanged(bool show) {
    if (show == m_showUnchanged)
        return;
    beginResetModel();
    m_showUnchanged = show;
    rebuildRows();
    endResetModel();
}

void RubricDiffModel::rebuildRows() {
    m_rows.clear();
    for (qsizetype i = 0; i < m_diff.entries.size(); ++i)
        if (m_showUnchanged || m_diff.entries[i].kind != rubric::DiffKind::Unchanged)
            m_rows << int(i);
}

int RubricDiffModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RubricDiffModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString RubricDiffModel::side(const QList<int> &indices,
                              const QList<CriterionRecord> &criteria) const {
    QStringList lines;
    for (int i : indices) {
        const CriterionRecord &c = criteria[i];
        // The check and veto show beside the weight, so a diff that only changed them reads.
        const QString mechanics = rubric::criterionMechanics(c);
        const QString weight =
            mechanics.isEmpty() ? weightText(c.weight)
                                : QString(weightText(c.weight) + QStringLiteral(" · ") + mechanics);
        lines << QStringLiteral("%1 [%2] %3").arg(c.stableId, weight, c.text);
    }
    return lines.join(QLatin1Char('\n'));
}

QVariant RubricDiffModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const rubric::DiffEntry &e = m_diff.entries[m_rows[index.row()]];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case ChangeColumn:
            if (e.kind == rubric::DiffKind::Rewritten)
                return tr("rewritten %1%").arg(qRound(e.similarity * 100));
            return rubric::diffKindName(e.kind);
        case OldColumn:
            return side(e.from, m_diff.fromCriteria);
        case NewColumn:
            return side(e.to, m_diff.toCriteria);
        }
        return {};
    case Qt::ToolTipRole:
        if (e.kind == rubric::DiffKind::Rewritten)
            return e.idChanged
                       ? tr("Matched by text similarity (%1%); the id changed")
                             .arg(qRound(e.similarity * 100))
                       : tr("Same id, text edited (%1% similar)").arg(qRound(e.similarity * 100));
        if (e.kind == rubric::DiffKind::Split)
            return tr("One criterion became %1, each a part of it").arg(e.to.size());
        if (e.kind == rubric::DiffKind::Merged)
            return tr("%1 criteria became one that contains each").arg(e.from.size());
        return {};
    case Qt::BackgroundRole: {
        const QColor c = kindColour(e.kind);
        return c.isValid() ? QVariant(QBrush(c)) : QVariant();
    }
    case Qt::TextAlignmentRole:
        return QVariant(Qt::AlignLeft | Qt::AlignTop);
    case DiffKindRole:
        return int(e.kind);
    case SortRole:
        return index.row();
    default:
        return {};
    }
}

QVariant RubricDiffModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case ChangeColumn:
        return tr("Change");
    case OldColumn:
        return m_fromLabel.isEmpty() ? tr("Old") : m_fromLabel;
    case NewColumn:
        return m_toLabel.isEmpty() ? tr("New") : m_toLabel;
    }
    return {};
}

} // namespace rs::ui
