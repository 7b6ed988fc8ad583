#pragma once

#include "common/error.h"
#include "import/importconfig.h"

#include <QDialog>
#include <QTimer>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QListView;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QStringListModel;
class QTableView;

namespace rs::ui {

class ImportJob;
class ImportPreviewModel;
class ProjectSession;

/// File ▸ Import…: a thin layer over rs::import::importFiles.
///
/// The user picks files and a format (or lets it be detected), maps fields for generic
/// JSON/JSONL, sees how the first records of the selected file would import, chooses
/// skip-or-abort for bad records, and runs the import on a worker with progress, an ETA and
/// Cancel. The result and every warning (FILE:LINE: message) stay on screen at the end.
class ImportDialog final : public QDialog {
    Q_OBJECT

public:
    static constexpr int kPreviewRecords = 5;

    explicit ImportDialog(ProjectSession &session, QWidget *parent = nullptr);
    ~ImportDialog() override;

    void setFiles(const QStringList &files);
    QStringList files() const;
    void setFormat(import::Format format);
    void setFieldMap(const import::FieldMap &map);
    void setOnError(import::OnError onError);
    void setDefaultTier(const QString &tier);
    /// The import as configured on screen now.
    import::ImportConfig config() const;

    /// Starts the import; false when it cannot start (see canImport()).
    bool startImport();
    bool canImport() const;
    bool isImporting() const;

    ImportJob *job() const { return m_job; }
    ImportPreviewModel *previewModel() const { return m_preview; }
    QString resultText() const;
    QStringList warnings() const;
    QString detectedText() const;

    /// While importing, Escape and Close cancel the import instead, and the dialog closes
    /// once the project has been rolled back.
    void reject() override;

Q_SIGNALS:
    void imported(const rs::import::ImportResult &result);
    void importFailed(const QString &message);
    void previewUpdated();

private:
    QWidget *createFilesGroup();
    QWidget *createOptionsGroup();
    QWidget *createMappingGroup();
    QWidget *createPreviewGroup();
    QWidget *createResultGroup();

    void addFiles();
    void removeSelectedFiles();
    QString previewFile() const;
    void schedulePreview();
    void updatePreview();
    void updateControls();
    void onProgress(int percent, qint64 etaSeconds);
    void onSucceeded(const import::ImportResult &result);
    void onFailed(const Error &error, bool cancelled);
    void saveChoices() const;
    void restoreChoices();

    ProjectSession &m_session;
    ImportJob *m_job = nullptr;

    QStringListModel *m_files = nullptr;
    QListView *m_fileList = nullptr;
    QPushButton *m_removeButton = nullptr;
    QComboBox *m_format = nullptr;
    QLabel *m_detected = nullptr;
    QComboBox *m_tier = nullptr;
    QCheckBox *m_offPolicy = nullptr;
    QRadioButton *m_skipBad = nullptr;
    QRadioButton *m_abortOnBad = nullptr;

    QGroupBox *m_mappingGroup = nullptr;
    QLineEdit *m_mapPrompt = nullptr;
    QLineEdit *m_mapResponse = nullptr;
    QLineEdit *m_mapGenerator = nullptr;
    QLineEdit *m_mapTier = nullptr;
    QStringListModel *m_fieldNames = nullptr;
    QLabel *m_fieldsLine = nullptr;

    ImportPreviewModel *m_preview = nullptr;
    QTableView *m_previewView = nullptr;
    QTimer m_previewDelay;
    quint64 m_previewGeneration = 0;

    QProgressBar *m_progress = nullptr;
    QLabel *m_eta = nullptr;
    QGroupBox *m_resultGroup = nullptr;
    QLabel *m_result = nullptr;
    QStringListModel *m_warnings = nullptr;
    QListView *m_warningList = nullptr;

    QDialogButtonBox *m_buttons = nullptr;
    QPushButton *m_importButton = nullptr;
    QPushButton *m_closeButton = nullptr;
    bool m_closeWhenDone = false;
};

} // namespace rs::ui
