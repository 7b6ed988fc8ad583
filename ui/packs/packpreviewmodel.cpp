#include "packs/packpreviewmodel.h"

#include "common/roles.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace rs::ui {

PackPreviewModel::PackPreviewModel(QObject *parent) : QAbstractTableModel(parent) {}

void PackPreviewModel::setRecords(const QStringList &records)
{
    beginResetModel();
    m_rows.clear();
    for (const QString &text : records) {
        const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
        Row r;
        r.json = text;
        // Every format names the prompt "prompt"; HealthBench's is a list of turns.
        const QJsonValue prompt = o.value(QStringLiteral("prompt"));
        r.prompt = prompt.isArray() ? prompt.toArray().last().toObject().value(QStringLiteral("content")).toString()
                                    : prompt.toString();
        for (const char *key : {"criteria", "rubrics", "rubric"})
            if (o.value(QLatin1String(key)).isArray())
                r.criteria = int(o.value(QLatin1String(key)).toArray().size());
        m_rows << r;
    }
    endResetModel();
}

int PackPreviewModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PackPreviewModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PackPreviewModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == PromptColumn)
            return r.prompt.simplified().left(300);
        return r.criteria;
    case Qt::ToolTipRole:
    case PackRecordJsonRole:
        return r.json;
    case SortRole:
        return index.column() == PromptColumn ? QVariant(r.prompt) : QVariant(r.criteria);
    case Qt::TextAlignmentRole:
        return index.column() == CriteriaColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    default:
        return {};
    }
}

QVariant PackPreviewModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == PromptColumn ? tr("Prompt") : tr("Criteria");
}

} // namespace rs::ui
