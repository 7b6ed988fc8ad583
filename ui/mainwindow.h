#pragma once

#include <QMainWindow>

class QAction;
class QDockWidget;
class QTabWidget;

namespace rs::ui {

class AuthoringController;
class AnalysisPanel;
class ComparePanel;
class InspectorPanel;
class JudgeController;
class ProjectSession;
class ProjectStatusLabel;
class PromptNavigator;
class ResponsesPanel;
class RubricPanel;
class RtdPanel;
class LabelsPanel;
class TrainingPanel;
class TrainingCurvesDialog;

/// The studio window. It only arranges panels and wires them to the session; what each part
/// shows and how it loads lives in the panel (PromptNavigator, ResponsesPanel, RubricPanel,
/// InspectorPanel) and the actions' work in ProjectSession and the dialogs.
class MainWindow final : public QMainWindow {
    Q_OBJECT

public:
    static constexpr QSize kDefaultSize{1500, 950};

    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Restores geometry, dock layout and splitters from QSettings (skipped for screenshots,
    /// which want the default layout).
    void restoreLayout();
    /// Whether closing the window writes the layout back to QSettings.
    void setLayoutPersistent(bool persistent) { m_persistLayout = persistent; }
    /// The About dialog's text: version, and the libraries with their versions and licences.
    static QString aboutText();

    ProjectSession *session() const { return m_session; }
    PromptNavigator *navigator() const { return m_navigator; }
    ResponsesPanel *responsesPanel() const { return m_responses; }
    RubricPanel *rubricPanel() const { return m_rubric; }
    ComparePanel *comparePanel() const { return m_compare; }
    InspectorPanel *inspector() const { return m_inspector; }
    ProjectStatusLabel *projectStatus() const { return m_status; }
    QTabWidget *tabs() const { return m_tabs; }
    JudgeController *judge() const { return m_judge; }
    RtdPanel *rtdPanel() const { return m_rtd; }
    AuthoringController *authoring() const { return m_authoring; }
    AnalysisPanel *analysisPanel() const { return m_analysis; }
    TrainingPanel *trainingPanel() const { return m_training; }
    LabelsPanel *labelsPanel() const { return m_labels; }
    /// Shows the prompt (and response) behind a chart point in the Responses tab.
    void openFromChart(qint64 promptId, qint64 responseId);
    /// Selects the prompt in the navigator (or shows it in the panels when not listed yet).
    void showPrompt(qint64 promptId);

    void newProject();
    void openProject();
    void importFiles();
    /// Analysis › Import Training Curves…; null when no project is open.
    TrainingCurvesDialog *importTrainingCurves();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createDocks();
    void createMenus();
    void wireSession();
    void onProjectOpened(const QString &path);
    void onProjectClosed();
    void onProjectChanged();
    void onOpenFailed(const QString &path, const QString &message, bool missing);
    void showAbout();
    void showShortcuts();
    void saveLayout() const;

    ProjectSession *m_session = nullptr;
    QTabWidget *m_tabs = nullptr;
    PromptNavigator *m_navigator = nullptr;
    ResponsesPanel *m_responses = nullptr;
    RubricPanel *m_rubric = nullptr;
    ComparePanel *m_compare = nullptr;
    InspectorPanel *m_inspector = nullptr;
    QDockWidget *m_promptsDock = nullptr;
    QDockWidget *m_inspectorDock = nullptr;
    ProjectStatusLabel *m_status = nullptr;
    JudgeController *m_judge = nullptr;
    RtdPanel *m_rtd = nullptr;
    AuthoringController *m_authoring = nullptr;
    AnalysisPanel *m_analysis = nullptr;
    TrainingPanel *m_training = nullptr;
    LabelsPanel *m_labels = nullptr;
    qint64 m_pendingResponse = 0; ///< selected once its prompt's grid has loaded
    QAction *m_importAction = nullptr;
    QAction *m_curvesAction = nullptr;
    bool m_persistLayout = true;
};

} // namespace rs::ui
