#include "batch/batchjoblistmodel.h"

#include "common/asynctask.h"
#include "common/roles.h"
#include "store/database.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QLocale>

namespace rs::ui {

BatchJobListModel::BatchJobListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void BatchJobListModel::setProject(const QString &path)
{
    m_path = path;
    reload();
}

void BatchJobListModel::reload()
{
    const quint64 generation = ++m_generation;
    if (m_path.isEmpty()) {
        beginResetModel();
        m_batches.clear();
        endResetModel();
        Q_EMIT loaded();
        return;
    }
    runDbQuery<QList<batch::BatchJobStatus>>(
        this, m_path, [](store::Database &db) { return batch::listBatchJobs(db); },
        [this, generation](Expected<QList<batch::BatchJobStatus>> batches) {
            if (generation != m_generation)
                return; // a newer reload is on its way
            if (!batches) {
                Q_EMIT errorOccurred(batches.error().toString());
                return;
            }
            beginResetModel();
            m_batches = batches.value();
            endResetModel();
            Q_EMIT loaded();
        });
}

int BatchJobListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_batches.size());
}

int BatchJobListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BatchJobListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const batch::BatchJobStatus &b = m_batches.at(index.row());
    const QLocale locale;
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case BatchColumn:
            return tr("batch %1 · %2").arg(b.batchId).arg(b.jobKind);
        case FormatColumn:
            return b.format == QLatin1String("anthropic") ? tr("Anthropic") : tr("OpenAI");
        case RunColumn:
            return b.runId ? tr("run %1").arg(b.runId) : tr("—");
        case RequestsColumn:
            return locale.toString(b.requests);
        case AnsweredColumn:
            return locale.toString(b.answered);
        case FailedColumn:
            return locale.toString(b.failed);
        case WaitingColumn:
            return locale.toString(b.waiting());
        case CreatedColumn:
            return locale.toString(
                QDateTime::fromString(b.createdAt, Qt::ISODateWithMs).toLocalTime(),
                QLocale::ShortFormat);
        case FilesColumn: {
            QStringList names;
            for (const QString &f : b.files)
                names << QFileInfo(f).fileName();
            return names.join(QStringLiteral(", "));
        }
        }
        return {};
    }
    if (role == Qt::ToolTipRole && index.column() == FilesColumn) {
        QStringList paths;
        for (const QString &f : b.files)
            paths << QDir::toNativeSeparators(f);
        return paths.join(QLatin1Char('\n'));
    }
    if (role == Qt::TextAlignmentRole && index.column() >= RequestsColumn &&
        index.column() <= WaitingColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == SortRole) {
        switch (index.column()) {
        case BatchColumn:
            return b.batchId;
        case RunColumn:
            return b.runId;
        case RequestsColumn:
            return b.requests;
        case AnsweredColumn:
            return b.answered;
        case FailedColumn:
            return b.failed;
        case WaitingColumn:
            return b.waiting();
        default:
            return data(index, Qt::DisplayRole);
        }
    }
    return {};
}

QVariant BatchJobListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case BatchColumn:
        return tr("Batch");
    case FormatColumn:
        return tr("Format");
    case RunColumn:
        return tr("Judge run");
    case RequestsColumn:
        return tr("Requests");
    case AnsweredColumn:
        return tr("Answered");
    case FailedColumn:
        return tr("Failed");
    case WaitingColumn:
        return tr("Waiting");
    case CreatedColumn:
        return tr("Written");
    case FilesColumn:
        return tr("Files");
    }
    return {};
}

} // namespace rs::ui
