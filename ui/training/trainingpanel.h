#pragma once

#include "analytics/trainingstats.h"

#include <QTimer>
#include <QWidget>

class QChartView;
class QLabel;
class QPushButton;
class QTableView;
class QTextBrowser;

namespace rs::ui {

class TrainingCriterionModel;
class TrainingStepModel;

/// The Training tab: what `serve` told the trainer, by step — the reward curve (mean, p10,
/// p90), a table of steps, and for the selected step the per-criterion pass rates (saturated
/// ones marked) and the top-rewarded responses to read for reward hacking. The log is read on
/// the query pool; Refresh (or a project change) reads it again.
class TrainingPanel final : public QWidget {
    Q_OBJECT

public:
    explicit TrainingPanel(QWidget *parent = nullptr);

    void setProject(const QString &path);
    /// Reads the served-rewards log again (serve keeps appending while training runs).
    void reload();

    TrainingStepModel *stepModel() const { return m_steps; }
    TrainingCriterionModel *criterionModel() const { return m_criteria; }
    /// The step whose criteria and top responses are shown; nullopt when none.
    std::optional<qint64> selectedStep() const;
    bool isLoading() const { return m_loading; }

    /// "Refine on This Step…": asks for RTD on the selected step's served responses.
    QPushButton *refineButton() const { return m_refine; }

Q_SIGNALS:
    /// A read finished and the views show its result (or the error in the status line).
    void loaded();
    /// The user asked to refine the rubrics on the responses served at `step` (the main window
    /// opens the RTD tab with that pool).
    void refineStepRequested(qint64 step);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void showStats(analytics::TrainingStats stats);
    void showStep(int row);
    void rebuildChart();

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
};

} // namespace rs::ui
