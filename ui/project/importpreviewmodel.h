#pragma once

#include "common/error.h"
#include "import/importconfig.h"

#include <QAbstractTableModel>
#include <QList>
#include <QStringList>

namespace rs::ui {

/// What the first records of a file would import as, with the current format and field map:
/// the import dialog's preview. Reading is a static function so it can run on a worker.
class ImportPreviewModel final : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        LineColumn,
        PromptColumn,
        ResponsesColumn,
        RubricColumn,
        ProblemColumn,
        ColumnCount
    };

    struct Row {
        qint64 line = 0;
        QString prompt;
        QString responses; ///< "frontier-large (great), open-70b (good)" or empty
        QString rubric;    ///< "7 criteria, weights" or empty
        QString problem;   ///< why the importer would reject this record, empty when fine
    };

    struct Preview {
        QString file;
        import::Format format = import::Format::Auto;   ///< the format used (detected for Auto)
        import::Format detected = import::Format::Auto; ///< what the first record looks like
        QString formatProblem; ///< why the format cannot be used, empty when it can
        QStringList fields;    ///< field names of the first record ("meta.model" for nested)
        QList<Row> rows;
    };

    explicit ImportPreviewModel(QObject *parent = nullptr);

    /// Reads and maps up to `maxRecords` records of `file` exactly as the importer would.
    /// Blocks on the disk: call it on a worker.
    static Expected<Preview> read(const QString &file, const import::ImportConfig &config,
                                  int maxRecords);

    void setPreview(const Preview &preview);
    void clear();
    const Preview &preview() const { return m_preview; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    Preview m_preview;
};

} // namespace rs::ui
