#pragma once

#include "batch/batchstatus.h"

#include <QAbstractTableModel>

namespace rs::ui {

/// The provider batches of the project (what `batch-status` prints): per batch its job, format,
/// judge run, how many requests it holds and how many have come back answered or failed, and
/// the files it was written to. Read on a worker by reload().
class BatchJobListModel final : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        BatchColumn,
        FormatColumn,
        RunColumn,
        RequestsColumn,
        AnsweredColumn,
        FailedColumn,
        WaitingColumn,
        CreatedColumn,
        FilesColumn,
        ColumnCount
    };

    explicit BatchJobListModel(QObject *parent = nullptr);

    void setProject(const QString &path);
    /// Re-reads the batches; emits loaded() when they are in.
    void reload();
    const QList<batch::BatchJobStatus> &batches() const { return m_batches; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void loaded();
    void errorOccurred(const QString &message);

private:
    QString m_path;
    QList<batch::BatchJobStatus> m_batches;
    quint64 m_generation = 0;
};

} // namespace rs::ui
