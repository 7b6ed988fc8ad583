#include "rubric/versionlistmodel.h"

#include "common/roles.h"

#include <QDateTime>
#include <QFileInfo>
#include <QFont>
#include <QJsonArray>

namespace rs::ui {

VersionListModel::VersionListModel(QObject *parent)
    : QAbstractTableModel(parent) {}

void VersionListModel::setVersions(const QList<rubric::VersionInfo> &versions, qint64 headId) {
    beginResetModel();
    m_versions = versions;
    m_head = headId;
    endResetModel();
}

int VersionListModel::numberOf(qint64 versionId) const {
    for (qsizetype i = 0; i < m_versions.size(); ++i)
        if (m_versions[i].id == versionId)
            return int(i + 1);
    return 0;
}

int VersionListModel::rowOf(qint64 versionId) const {
    const int n = numberOf(versionId);
    return n ? int(m_versions.size()) - n : -1;
}

const rubric::VersionInfo &VersionListModel::at(int row) const {
    return m_versions[m_versions.size() - 1 - row];
}

int VersionListModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_versions.size());
}

int VersionListModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString VersionListModel::originText(const rubric::VersionInfo &v) const {
    const QJsonObject &d = v.detail;
    const QString model = d.value(QStringLiteral("model")).toString();
    const QString withModel = model.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(model);
    if (v.origin == QLatin1String("restore"))
        return tr("restore of v%1").arg(numberOf(d.value(QStringLiteral("from")).toInteger()));
    if (v.origin == QLatin1String("rtd")) {
        const int round = d.value(QStringLiteral("round")).toInt();
        return (round ? tr("RTD round %1").arg(round) : tr("RTD")) + withModel;
    }
    if (v.origin == QLatin1String("generation"))
        return tr("generated") + withModel;
    if (v.origin == QLatin1String("import")) {
        const QString file = QFileInfo(d.value(QStringLiteral("file")).toString()).fileName();
        return file.isEmpty() ? tr("import") : tr("import %1").arg(file);
    }
    if (v.origin == QLatin1String("manual"))
        return tr("manual edit");
    if (v.origin == QLatin1String("prune")) {
        const qsizetype n = d.value(QStringLiteral("removed")).toArray().size();
        return n == 1 ? tr("pruned 1 dead criterion") : tr("pruned %1 dead criteria").arg(n);
    }
    if (v.origin == QLatin1String("prune-rewrite")) {
        const qsizetype n = d.value(QStringLiteral("rewritten")).toArray().size();
        return (n == 1 ? tr("rewrote 1 dead criterion") : tr("rewrote %1 dead criteria").arg(n)) +
               withModel;
    }
    return v.origin;
}

QVariant VersionListModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const rubric::VersionInfo &v = at(index.row());
    const bool head = v.id == m_head;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NumberColumn:
            return head ? tr("v%1 ●").arg(numberOf(v.id)) : tr("v%1").arg(numberOf(v.id));
        case OriginColumn:
            return originText(v);
        case TimeColumn: {
            const QDateTime t = QDateTime::fromString(v.createdAt, Qt::ISODateWithMs);
            return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                               : v.createdAt;
        }
        case CriteriaColumn:
            return v.criteria;
        case TagColumn:
            return v.tag;
        }
        return {};
    case Qt::ToolTipRole: {
        QString tip = tr("Version %1, id %2").arg(numberOf(v.id)).arg(v.id);
        if (v.parentId)
            tip += tr(", made from v%1").arg(numberOf(v.parentId));
        if (head)
            tip += tr("\nThe current version: judging and exports use it.");
        return tip;
    }
    case Qt::FontRole:
        if (head) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == CriteriaColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case SortRole:
        return index.column() == NumberColumn ? QVariant(numberOf(v.id))
                                              : data(index, Qt::DisplayRole);
    case VersionIdRole:
        return v.id;
    case ParentVersionIdRole:
        return v.parentId;
    case OriginRole:
        return v.origin;
    case VersionTagRole:
        return v.tag;
    case IsHeadRole:
        return head;
    default:
        return {};
    }
}

QVariant VersionListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NumberColumn:
        return tr("Version");
    case OriginColumn:
        return tr("Origin");
    case TimeColumn:
        return tr("Saved");
    case CriteriaColumn:
        return tr("Criteria");
    case TagColumn:
        return tr("Tag");
    }
    return {};
}

} // namespace rs::ui
