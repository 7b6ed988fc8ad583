#pragma once

#include "rubric/rubricversions.h"

#include <QAbstractTableModel>

namespace rs::ui {

/// A prompt's rubric versions, newest first: number, origin, time, criteria, tag. The head
/// (the version judges and exports use) is marked.
class VersionListModel final : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { NumberColumn, OriginColumn, TimeColumn, CriteriaColumn, TagColumn, ColumnCount };

    explicit VersionListModel(QObject *parent = nullptr);

    /// `versions` oldest first, as rubric::listVersions returns them.
    void setVersions(const QList<rubric::VersionInfo> &versions, qint64 headId);
    const QList<rubric::VersionInfo> &versions() const { return m_versions; }
    /// The 1-based number users see ("v3") of a version id, 0 when unknown.
    int numberOf(qint64 versionId) const;
    /// Row of a version id, -1 when absent.
    int rowOf(qint64 versionId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    /// "RTD round 2 (gpt-4.1)", "restore of v1", "import r.jsonl:4", ...
    QString originText(const rubric::VersionInfo &v) const;

private:
    const rubric::VersionInfo &at(int row) const; ///< rows are newest first

    QList<rubric::VersionInfo> m_versions; ///< oldest first
    qint64 m_head = 0;
};

} // namespace rs::ui
