#pragma once

#include "judge/judgeconfig.h"
#include "llm/llmjob.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace rs::llm {
struct CostPreview;
}

namespace rs::ui {

class CostPreviewer;
class ProjectSession;
class ProviderListModel;
class ResponseScopeBox;

/// Judge › Run Judge…: the judge model (a provider), the mode, weights shown or not, N
/// gradings, which responses, the judge template, parse retries, cache bypass and a spending
/// cap, with a cost preview recomputed on a worker whenever a setting changes. Start accepts
/// the dialog; the caller reads config() and options() and starts the job.
///
/// The same settings make the same run, so starting again after a cancel, a crash or an edit
/// of the rubric resumes it and judges only what is missing. Settings are remembered.
class JudgeRunDialog final : public QDialog {
    Q_OBJECT

public:
    JudgeRunDialog(ProjectSession &session, ProviderListModel *providers,
                   QWidget *parent = nullptr);
    ~JudgeRunDialog() override;

    judge::JudgeConfig config() const;
    llm::JobOptions options() const;
    /// "Judge · gpt-4.1 · all criteria · great", the job's name in the jobs panel.
    QString jobName() const;

    void setProvider(const QString &name);
    QLabel *previewLabel() const { return m_preview; }
    QPushButton *startButton() const { return m_start; }
    CostPreviewer *previewer() const { return m_previewer; }

    void accept() override;

Q_SIGNALS:
    /// "Providers…" was pressed.
    void providersRequested();

private:
    QWidget *createSettings();
    QWidget *createTemplateEditor();
    void loadScopes();
    void restoreSettings();
    void saveSettings() const;
    void onModeChanged();
    void onSettingsChanged();
    void onPreviewReady(const llm::CostPreview &preview);
    void updateProviderInfo();
    void updateStart();
    QString templateProblem() const;

    ProjectSession &m_session;
    ProviderListModel *m_providers = nullptr;
    CostPreviewer *m_previewer = nullptr;
    QComboBox *m_provider = nullptr;
    QLabel *m_providerInfo = nullptr;
    QComboBox *m_mode = nullptr;
    QCheckBox *m_showWeights = nullptr;
    QSpinBox *m_gradings = nullptr;
    QDoubleSpinBox *m_temperature = nullptr;
    QDoubleSpinBox *m_repeatTemperature = nullptr;
    ResponseScopeBox *m_scope = nullptr;
    QSpinBox *m_parseRetries = nullptr;
    QCheckBox *m_bypassCache = nullptr;
    QDoubleSpinBox *m_cap = nullptr;
    QPlainTextEdit *m_system = nullptr;
    QPlainTextEdit *m_user = nullptr;
    QLabel *m_version = nullptr;
    QLabel *m_templateProblem = nullptr;
    QLabel *m_preview = nullptr;
    QPushButton *m_start = nullptr;
    judge::JudgeMode m_shownMode = judge::JudgeMode::Joint;
    QString m_savedTier;
    QString m_chosenProvider;
    bool m_nothingToDo = false;
    bool m_restoring = false;
};

} // namespace rs::ui
