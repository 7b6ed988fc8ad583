#pragma once

#include "authoring/collectrunner.h"
#include "authoring/generationrunner.h"
#include "authoring/prunerewriterunner.h"
#include "llm/costpreview.h"

#include <QDialog>
#include <QTimer>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace rs::ui {

class ProjectSession;
class ProviderListModel;

/// "Rubrics > Generate…", "Responses > Collect…" and the Rubric tab's "Rewrite selected…" (dead
/// criteria): the provider, the scope (the current prompt or all prompts; for a rewrite, the
/// selection) and the job's parameters, with the cost preview computed on a worker before Start
/// is offered. Start emits startRequested; the controller runs the job.
class AuthoringDialog final : public QDialog {
    Q_OBJECT

public:
    enum class Mode { Generate, Collect, PruneRewrite };

    AuthoringDialog(Mode mode, ProjectSession &session, ProviderListModel &providers, qint64 currentPromptId,
                    QWidget *parent = nullptr);

    Mode mode() const { return m_mode; }
    authoring::GenerationConfig generationConfig() const;
    authoring::CollectConfig collectConfig() const;
    /// The selection to rewrite (PruneRewrite); the proposer is the dialog's.
    void setPruneRewrite(const authoring::PruneRewriteConfig &config);
    authoring::PruneRewriteConfig pruneRewriteConfig() const;
    llm::JobOptions options() const;
    QString jobName() const;

    QLabel *previewLabel() const { return m_preview; }
    QComboBox *providerCombo() const { return m_provider; }
    QComboBox *scopeCombo() const { return m_scope; }
    QPushButton *startButton() const { return m_start; }
    /// Schedules a new preview (after a short pause in editing).
    void refreshPreview();

Q_SIGNALS:
    void startRequested();
    void previewShown(const rs::llm::CostPreview &preview);

private:
    void computePreview();
    QList<qint64> scope() const;
    llm::ProviderConfig provider() const;

    Mode m_mode;
    ProjectSession &m_session;
    ProviderListModel &m_providers;
    qint64 m_promptId = 0;
    QComboBox *m_provider = nullptr;
    QComboBox *m_scope = nullptr;
    QSpinBox *m_references = nullptr;
    QCheckBox *m_replace = nullptr;
    QCheckBox *m_retryFailed = nullptr;
    QLineEdit *m_models = nullptr;
    QSpinBox *m_n = nullptr;
    QDoubleSpinBox *m_temperature = nullptr;
    QLineEdit *m_tier = nullptr;
    QCheckBox *m_offPolicy = nullptr;
    QLabel *m_selection = nullptr;
    authoring::PruneRewriteConfig m_prune;
    QLabel *m_preview = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QPushButton *m_start = nullptr;
    QTimer m_delay;
    bool m_running = false;
    bool m_dirty = false;
};

} // namespace rs::ui
