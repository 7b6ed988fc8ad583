#pragma once

#include <QAbstractTableModel>
#include <QList>
#include <QPointer>

namespace rs::ui {

class JudgeJob;

/// The jobs panel's rows: every judge job of the session, running or finished, with its
/// progress, counts, ETA, tokens, cost and state. The model does not own the jobs; a job that
/// is deleted leaves the list.
class JobListModel final : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        NameColumn,
        ProgressColumn,
        CountColumn,
        EtaColumn,
        TokensColumn,
        CostColumn,
        StateColumn,
        ColumnCount
    };

    explicit JobListModel(QObject *parent = nullptr);

    /// Appends `job` (newest last) and follows its progress.
    void addJob(JudgeJob *job);
    JudgeJob *jobAt(int row) const;
    int rowOf(const JudgeJob *job) const;
    QList<JudgeJob *> jobs() const;
    int activeCount() const;

    /// "41k", "1.2M": token counts at a glance.
    static QString compactCount(qint64 n);
    /// "$0.18", "$0.0042", "unpriced".
    static QString costText(double usd, bool priced);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    /// A job started, paused, resumed, finished…: the panel updates its buttons.
    void jobStateChanged(rs::ui::JudgeJob *job);

private:
    void refreshRow(const QObject *job);
    void removeJob(const QObject *job);
    QVariant display(const JudgeJob &job, int column) const;
    QString summaryText(const JudgeJob &job) const;

    QList<JudgeJob *> m_jobs;
};

} // namespace rs::ui
