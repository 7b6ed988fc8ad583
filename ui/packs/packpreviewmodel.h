#pragma once

#include <QAbstractTableModel>
#include <QList>
#include <QString>

namespace rs::ui {

/// The first records of a rubric pack export as they will be written: the export dialog's
/// preview. One row per record: the prompt and the number of criteria; the record's JSON is
/// under PackRecordJsonRole and as the tooltip.
class PackPreviewModel final : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { PromptColumn, CriteriaColumn, ColumnCount };

    explicit PackPreviewModel(QObject *parent = nullptr);

    /// Replaces the rows with these records (pretty JSON text, any pack format).
    void setRecords(const QStringList &records);
    void clear() { setRecords({}); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        QString prompt;
        int criteria = 0;
        QString json;
    };
    QList<Row> m_rows;
};

} // namespace rs::ui
