#pragma once

#include "analytics/aggregationpreview.h"
#include "domain/records.h"

#include <QWidget>

#include <atomic>
#include <memory>

class QLabel;
class QPushButton;
class QTableView;

namespace rs::ui {

class AggregationCandidateModel;
class AggregationResponseModel;
class ChartPanel;
class ProjectEdits;

/// The Rubric tab's Aggregation pane: what each way of adding up the verdicts would do, side by
/// side with each rubric's current aggregation. On top, project-wide, per candidate: top-tier
/// AUC, ties at the top, tail accuracy, prompts with no GRPO signal and the top tier's
/// advantage gap. Below, for the prompt shown in the tab, each response's reward and GRPO
/// advantage now and under the selected candidate, as a table and a bar chart. "Use for this
/// rubric" saves a new version of the prompt's rubric with the selected aggregation through the
/// project's write queue, as Accept and Restore do.
///
/// The project-wide preview re-reads every verdict of the run, so it runs on a worker with an
/// atomic cancel, only while the pane is shown (a change while hidden marks it stale), and
/// again when the project changes or a run finishes. A new prompt only re-reads that prompt.
class AggregationPane final : public QWidget {
    Q_OBJECT

public:
    explicit AggregationPane(QWidget *parent = nullptr);
    ~AggregationPane() override;

    void setProject(const QString &path);
    /// Where "Use for this rubric" sends its write.
    void setEdits(ProjectEdits *edits);
    /// The prompt shown in the Rubric tab and its stored current version (versionId 0: none).
    void setRubric(qint64 promptId, const RubricRecord &head);
    /// A draft with unsaved edits blocks "Use": the new version would not hold them, and
    /// accepting the draft later would bring back the old aggregation.
    void setDraftDirty(bool dirty);
    /// The run's verdicts, the rubrics or the missing-verdict setting changed: recompute.
    void refresh();

    AggregationCandidateModel *candidateModel() const { return m_candidates; }
    AggregationResponseModel *responseModel() const { return m_responses; }
    QTableView *candidateView() const { return m_candidateView; }
    QTableView *responseView() const { return m_responseView; }
    ChartPanel *chart() const { return m_chart; }
    QPushButton *useButton() const { return m_use; }
    QLabel *status() const { return m_status; }
    /// Selects candidate `row` (0 is "current").
    void selectCandidate(int row);
    /// Saves the selected candidate as the prompt's aggregation; no-op when "Use" is disabled.
    void useSelected();

Q_SIGNALS:
    /// The project-wide preview arrived (or failed).
    void computed();
    /// The prompt's rows arrived.
    void promptComputed();
    void message(const QString &text);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void computeProject();
    void computePrompt();
    void showPrompt();
    void updateUse();
    int selectedRow() const;

    QString m_path;
    ProjectEdits *m_edits = nullptr;
    qint64 m_promptId = 0;
    RubricRecord m_head;
    bool m_draftDirty = false;
    bool m_saving = false;
    bool m_stale = true;

    analytics::MetricOptions m_options; ///< of the last project preview (tiers adapted)
    std::vector<std::vector<analytics::ResponseOutcome>> m_promptRows; ///< per candidate
    qint64 m_rowsPrompt = 0; ///< the prompt m_promptRows belong to
    quint64 m_generation = 0;
    quint64 m_promptGeneration = 0;
    std::shared_ptr<std::atomic_bool> m_cancel;

    AggregationCandidateModel *m_candidates = nullptr;
    AggregationResponseModel *m_responses = nullptr;
    QTableView *m_candidateView = nullptr;
    QTableView *m_responseView = nullptr;
    ChartPanel *m_chart = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_promptTitle = nullptr;
    QPushButton *m_use = nullptr;
};

} // namespace rs::ui
