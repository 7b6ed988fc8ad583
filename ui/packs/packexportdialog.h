#pragma once

#include "common/error.h"
#include "pack/packtypes.h"

#include <QDialog>

#include <atomic>
#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QTableView;
class QTimer;

namespace rs::ui {

class PackPreviewModel;

/// File > Export Rubric Pack…: format, version (latest or a tag), prompts (all or the selected
/// one), output folder, what the chosen format loses, and a preview of the first records.
/// The preview and the export run on workers; the export shows progress and can be cancelled.
class PackExportDialog final : public QDialog {
    Q_OBJECT

public:
    /// `selectedPromptId` 0: no prompt selected (the "selected prompt" choice is disabled).
    PackExportDialog(const QString &projectPath, qint64 selectedPromptId, QWidget *parent = nullptr);
    ~PackExportDialog() override;

    PackPreviewModel *previewModel() const { return m_previewModel; }
    void setFormat(pack::PackFormat format);
    void setOutputDir(const QString &dir);
    /// Starts the export (what the Export button does).
    void startExport();
    bool isExporting() const { return m_exporting; }

Q_SIGNALS:
    void previewUpdated();
    /// The export ended: `message` says what was written, or why not.
    void exportFinished(bool ok, const QString &message);

private:
    pack::PackSelection selection() const;
    pack::PackFormat format() const;
    void schedulePreview();
    void loadPreview();
    void loadTags();
    void updateLosses();
    void browse();
    void pollProgress();
    void finishExport(const Expected<pack::PackExportResult> &result);

    QString m_projectPath;
    qint64 m_selectedPromptId = 0;
    QComboBox *m_format = nullptr;
    QComboBox *m_version = nullptr;
    QRadioButton *m_allPrompts = nullptr;
    QRadioButton *m_selectedPrompt = nullptr;
    QLineEdit *m_out = nullptr;
    QLabel *m_losses = nullptr;
    QTableView *m_preview = nullptr;
    QPlainTextEdit *m_record = nullptr;
    QLabel *m_status = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_export = nullptr;
    QTimer *m_previewTimer = nullptr;
    QTimer *m_progressTimer = nullptr;
    PackPreviewModel *m_previewModel = nullptr;
    int m_previewGeneration = 0;
    bool m_exporting = false;
    // Shared with the worker, which outlives nothing: it only reads and writes these.
    struct Progress {
        std::atomic<qint64> done{0};
        std::atomic<qint64> total{0};
        std::atomic<bool> cancel{false};
    };
    std::shared_ptr<Progress> m_job;
};

} // namespace rs::ui
