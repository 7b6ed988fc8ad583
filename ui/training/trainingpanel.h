#pragma once

#include "analytics/tophackcheck.h"
#include "analytics/trainingstats.h"

#include <QTimer>
#include <QWidget>

#include <map>
#include <optional>
#include <set>
#include <utility>

class QChartView;
class QLabel;
class QPushButton;
class QTableView;
class QTextBrowser;

namespace rs::ui {

class JudgeController;
class JudgeJob;
class TrainingCriterionModel;
class TrainingStepModel;

/// The Training tab: what `serve` told the trainer, by step — the reward curve (mean, p10,
/// p90, and the pass rate of the criterion selected below), a table of steps, and for the selected step the per-criterion pass rates (saturated
/// ones marked) and the top-rewarded responses to read for reward hacking. The log is read on
/// the query pool; Refresh (or a project change) reads it again. "Panel check…" asks a
/// rubric-free pairwise panel about the selected step's top responses (a job in the Jobs dock)
/// and marks each top response with the panel's answer.
class TrainingPanel final : public QWidget {
    Q_OBJECT

public:
    explicit TrainingPanel(QWidget *parent = nullptr);

    void setProject(const QString &path);
    /// Where panel checks get their providers and run as jobs; without it the button is off.
    void setController(JudgeController *controller);
    /// Reads the served-rewards log again (serve keeps appending while training runs).
    void reload();

    TrainingStepModel *stepModel() const { return m_steps; }
    TrainingCriterionModel *criterionModel() const { return m_criteria; }
    /// The step whose criteria and top responses are shown; nullopt when none.
    std::optional<qint64> selectedStep() const;
    bool isLoading() const { return m_loading; }

    /// "Refine on This Step…": asks for RTD on the selected step's served responses.
    QPushButton *refineButton() const { return m_refine; }
    /// Opens the provider choice for a panel check of the selected step.
    void openPanelCheck();
    /// Starts the panel check of `step`'s top responses (the tab's top K) as a job; null when
    /// it cannot start (no controller, no project, or that step's check still runs).
    JudgeJob *startPanelCheck(qint64 step, std::vector<llm::ProviderConfig> panel);
    /// The last finished panel check of `step`; null when none ran in this session.
    const analytics::TopHackCheck *panelCheck(qint64 step) const;
    QPushButton *panelCheckButton() const { return m_checkButton; }
    /// The criterion (prompt id, stable id) whose pass rate by step the chart draws next to
    /// the reward: the last one selected in the criteria table; nullopt before any.
    std::optional<std::pair<qint64, QString>> trendCriterion() const { return m_trend; }
    QChartView *chartView() const { return m_chart; }

Q_SIGNALS:
    /// A read finished and the views show its result (or the error in the status line).
    void loaded();
    /// The user asked to refine the rubrics on the responses served at `step` (the main window
    /// opens the RTD tab with that pool).
    void refineStepRequested(qint64 step);
    /// A panel check of `step` finished (its marks are shown when the step is selected).
    void panelCheckFinished(qint64 step);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void showStats(analytics::TrainingStats stats);
    void showStep(int row);
    void rebuildChart();
    void updateCheckButton();
    QString panelMark(qint64 step, qint64 servedId) const;

    QString m_path;
    quint64 m_generation = 0;
    bool m_loading = false;
    /// While the tab is shown, the log is read again now and then: serve keeps appending.
    QTimer m_poll;
    QLabel *m_status = nullptr;
    QPushButton *m_refine = nullptr;
    TrainingStepModel *m_steps = nullptr;
    TrainingCriterionModel *m_criteria = nullptr;
    QTableView *m_stepView = nullptr;
    QTableView *m_criterionView = nullptr;
    QChartView *m_chart = nullptr;
    QTextBrowser *m_top = nullptr;
    QPushButton *m_checkButton = nullptr;
    JudgeController *m_controller = nullptr;
    std::map<qint64, analytics::TopHackCheck> m_checks; ///< by step, this session's
    std::set<qint64> m_running;                         ///< steps whose check still runs
    std::optional<std::pair<qint64, QString>> m_trend;
};

} // namespace rs::ui
