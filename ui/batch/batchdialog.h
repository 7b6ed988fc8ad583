#pragma once

#include "batch/batchfile.h"
#include "batch/judgebatch.h"
#include "judge/judgeconfig.h"

#include <QDialog>
#include <QTimer>

#include <atomic>
#include <memory>
#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QStringListModel;
class QTabWidget;
class QTableView;

namespace rs::ui {

class BatchJobListModel;
class ProjectSession;
class ProviderListModel;
class ResponseScopeBox;

/// Judge › Provider Batches…: judging through a provider's batch API instead of live calls,
/// the GUI face of `batch-export`, `batch-import` and `batch-status`.
///
/// Export writes the calls a judge run still needs as batch input files (OpenAI Batch API or
/// Anthropic Message Batches, by the provider's kind) into a folder, starting from the Run
/// Judge settings so the batch makes the same run a live judge would. Import reads the files
/// the provider sent back, checks each answer against what was sent and stores the verdicts,
/// with progress and a Cancel. Status lists every batch and how much of it has come back.
/// Both run on a worker with the project held busy, never on the GUI thread.
class BatchDialog final : public QDialog {
    Q_OBJECT

public:
    enum Page { ExportPage, ImportPage, StatusPage };

    BatchDialog(ProjectSession &session, ProviderListModel *providers, QWidget *parent = nullptr);
    ~BatchDialog() override;

    void showPage(Page page);

    /// The run the export would make: the chosen provider and settings over the saved Run
    /// Judge settings (templates, temperatures, retries).
    judge::JudgeConfig config() const;
    /// The file format the chosen provider takes; nullopt without a provider.
    std::optional<batch::BatchFormat> format() const;
    void setOutputFolder(const QString &dir);
    /// Writes the batch files on a worker; false when that cannot start now (no provider, no
    /// folder, no project, or work running).
    bool startExport();

    void setImportFiles(const QStringList &files);
    QStringList importFiles() const;
    /// Imports the chosen output files on a worker; false when that cannot start now.
    bool startImport();
    void cancelImport();
    bool isBusy() const { return m_busy; }

    QComboBox *providerBox() const { return m_provider; }
    QComboBox *modeBox() const { return m_mode; }
    QCheckBox *showWeightsBox() const { return m_showWeights; }
    QSpinBox *gradingsSpin() const { return m_gradings; }
    ResponseScopeBox *scopeBox() const { return m_scope; }
    QCheckBox *includeCachedBox() const { return m_includeCached; }
    QLineEdit *outputEdit() const { return m_output; }
    QLabel *formatLabel() const { return m_format; }
    QPushButton *exportButton() const { return m_export; }
    QLabel *exportResult() const { return m_exportResult; }
    QPushButton *importButton() const { return m_import; }
    QProgressBar *importProgress() const { return m_progress; }
    QLabel *importResult() const { return m_importResult; }
    QPlainTextEdit *importProblems() const { return m_problems; }
    BatchJobListModel *batches() const { return m_batches; }
    QTableView *batchView() const { return m_batchView; }
    QTabWidget *pages() const { return m_pages; }

Q_SIGNALS:
    void exported(const rs::batch::BatchExportResult &result);
    void imported(const rs::batch::BatchImportResult &result);
    /// An export or import could not run; `message` says why (FILE:LINE when about a file).
    void failed(const QString &message);

private:
    struct Progress {
        std::atomic<qint64> done{0};
        std::atomic<qint64> total{0};
        std::atomic<bool> cancel{false};
    };

    QWidget *createExportPage();
    QWidget *createImportPage();
    QWidget *createStatusPage();
    void chooseOutputFolder();
    void addImportFiles();
    void onExported(const Expected<batch::BatchExportResult> &result);
    void onImported(const Expected<batch::BatchImportResult> &result);
    void pollProgress();
    void setBusy(bool busy);
    void updateButtons();

    ProjectSession &m_session;
    ProviderListModel *m_providers = nullptr;
    judge::JudgeConfig m_saved; ///< the Run Judge settings the export starts from
    QTabWidget *m_pages = nullptr;
    QComboBox *m_provider = nullptr;
    QLabel *m_format = nullptr;
    QComboBox *m_mode = nullptr;
    QCheckBox *m_showWeights = nullptr;
    QSpinBox *m_gradings = nullptr;
    ResponseScopeBox *m_scope = nullptr;
    QCheckBox *m_includeCached = nullptr;
    QLineEdit *m_output = nullptr;
    QPushButton *m_export = nullptr;
    QLabel *m_exportResult = nullptr;
    QStringListModel *m_files = nullptr;
    QListView *m_fileView = nullptr;
    QPushButton *m_import = nullptr;
    QPushButton *m_cancel = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_importResult = nullptr;
    QPlainTextEdit *m_problems = nullptr;
    BatchJobListModel *m_batches = nullptr;
    QTableView *m_batchView = nullptr;
    std::shared_ptr<Progress> m_importProgress;
    QTimer m_poll;
    bool m_busy = false;
};

} // namespace rs::ui
