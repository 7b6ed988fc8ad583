#include "rubric/deadcriteriamodel.h"

#include "common/roles.h"

#include <QBrush>
#include <QColor>
#include <QFont>

namespace rs::ui {

DeadCriteriaModel::DeadCriteriaModel(QObject *parent)
    : QAbstractTableModel(parent) {}

void DeadCriteriaModel::setReport(rubric::DeadCriteriaReport report) {
    beginResetModel();
    m_report = std::move(report);
    endResetModel();
}

int DeadCriteriaModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_report.dead.size());
}

int DeadCriteriaModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DeadCriteriaModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const rubric::DeadCriterion &d = at(index.row());
    const bool pass = d.way == rubric::DeadWay::AllPass;
    switch (role) {
    case PromptIdRole:
        return d.promptId;
    case CriterionIdRole:
        return d.stableId;
    case Qt::TextAlignmentRole:
        return index.column() == Criterion || index.column() == Dead || index.column() == Id
                   ? QVariant()
                   : QVariant(int(Qt::AlignRight | Qt::AlignVCenter));
    case Qt::BackgroundRole:
        // The way it is dead, tinted lightly so the text stays readable in both themes.
        if (index.column() == Dead)
            return QBrush(pass ? QColor(0x2e, 0x9e, 0x4f, 50) : QColor(0xd0, 0x3a, 0x2f, 50));
        return {};
    case Qt::FontRole:
        if (index.column() == Criterion && d.check) {
            QFont f;
            f.setItalic(true);
            return f;
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Criterion)
            return d.check ? tr("%1\n\nWeight %2. Checked by code: its verdicts come from the "
                                "check, not the judge. Prune it, or edit its check in the editor.")
                                 .arg(d.text)
                                 .arg(d.weight)
                           : tr("%1\n\nWeight %2.").arg(d.text).arg(d.weight);
        if (index.column() == Dead)
            return pass ? tr("All %1 judged top responses (of %2) pass it: it cannot tell the "
                             "best responses apart.")
                              .arg(d.judged)
                              .arg(d.top)
                        : tr("All %1 judged top responses (of %2) fail it: it cannot tell the "
                             "best responses apart.")
                              .arg(d.judged)
                              .arg(d.top);
        if (index.column() == Prompts)
            return tr("Dead in %1 prompts with this text (normalised)").arg(d.textPrompts);
        return {};
    case SortRole:
        switch (Column(index.column())) {
        case Prompt:
            return d.promptId;
        case Id:
            return d.stableId;
        case Dead:
            return pass ? 1 : 0;
        case Prompts:
            return d.textPrompts;
        case Criterion:
            return d.text;
        case ColumnCount:
            break;
        }
        return {};
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case Prompt:
            return d.promptId;
        case Id:
            return d.stableId;
        case Dead:
            return (pass ? tr("pass %1/%2") : tr("fail %1/%2")).arg(d.judged).arg(d.top);
        case Prompts:
            return d.textPrompts;
        case Criterion:
            return d.check ? tr("%1 (check)").arg(d.text) : d.text;
        case ColumnCount:
            break;
        }
        return {};
    default:
        return {};
    }
}

QVariant DeadCriteriaModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::ToolTipRole) {
        static const char *const tips[] = {
            QT_TR_NOOP("The prompt's id (double-click a row to open it)"),
            QT_TR_NOOP("The criterion's stable id"),
            QT_TR_NOOP("Every judged top response passes it, or every one fails it: judged / top "
                       "responses"),
            QT_TR_NOOP("Prompts in which the same text is dead"),
            QT_TR_NOOP("The criterion; (check): checked by code")};
        return tr(tips[section]);
    }
    if (role != Qt::DisplayRole)
        return {};
    static const char *const names[] = {QT_TR_NOOP("Prompt"), QT_TR_NOOP("Id"), QT_TR_NOOP("Dead"),
                                        QT_TR_NOOP("In"), QT_TR_NOOP("Criterion")};
    return tr(names[section]);
}

} // namespace rs::ui
