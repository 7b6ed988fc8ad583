#pragma once

#include "analysis/analysiscomputation.h"

#include <QTimer>
#include <QWidget>

#include <atomic>
#include <memory>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QListWidget;
class QStackedWidget;

namespace rs::ui {

class AnalysisPage;

/// The Analysis tab: one page per metric family (tail accuracy, separation, discrimination,
/// style confound, judge reliability, over-optimisation, refinement timeline, theory) for the
/// whole project or the current prompt, run A alone or side by side with run B. Without a run
/// B, judge agreement still compares run A with the run before it.
///
/// Metrics are computed on the query pool with their own connection; changes to the project
/// (verdicts, overrides, preferences) trigger a recomputation after a short pause, and a
/// newer request supersedes an older one still running (its result is dropped).
class AnalysisPanel final : public QWidget {
    Q_OBJECT

public:
    static constexpr int kRecomputeDelayMs = 400;
    enum Family { TailAccuracy, Separation, Discrimination, StyleConfound, Reliability,
                  OverOptimisation, Timeline, Theory, FamilyCount };

    explicit AnalysisPanel(QWidget *parent = nullptr);
    ~AnalysisPanel() override;

    void setProject(const QString &path);
    /// The prompt the "current prompt" scope shows.
    void setCurrentPrompt(qint64 promptId);
    /// Recompute after a short pause (several changes, one computation).
    void scheduleRecompute();
    /// The project changed: its runs are listed again and the metrics recomputed.
    void projectChanged();
    void recompute();

    void setWholeProject(bool whole);
    void setCompareRun(qint64 runId);
    /// How criteria without a usable verdict count in the rewards behind every metric.
    void setMissingPolicy(judge::MissingPolicy policy);
    void setTheory(double c, double beta);

    AnalysisPage *page(Family family) const;
    void showFamily(Family family);
    bool isComputing() const { return m_computing; }
    QLabel *statusLabel() const { return m_status; }

    /// The report of what the tab shows now: every family's charts and tables.
    ReportWriter report() const;
    /// Writes the report as HTML or PDF (by the suffix of `path`).
    Expected<void> exportReport(const QString &path) const;
    /// Asks for a file name and writes the report there.
    void exportReportWithDialog();

Q_SIGNALS:
    void pointActivated(qint64 promptId, qint64 responseId);
    /// A computation finished and the pages show its result (or its error in the status).
    void computed();
    void theoryComputed();

private:
    /// The row above the pages: scope, runs, tie policy, Recompute and the status line.
    QWidget *createToolbar();
    /// Lists the project's runs in the run boxes; `thenRecompute`: computes once they are in.
    void fillRuns(bool thenRecompute = false);
    void computeTheory();
    AnalysisRequest request() const;
    /// The run listed just before run A (the previous run): judge agreement compares A with
    /// it when no run B is chosen. 0 when A is the oldest run.
    qint64 runBeforeA() const;

    QString m_path;
    qint64 m_promptId = 0;
    QComboBox *m_scope = nullptr;
    QComboBox *m_runA = nullptr;
    QComboBox *m_runB = nullptr;
    QComboBox *m_ties = nullptr;
    QDoubleSpinBox *m_c = nullptr;
    QDoubleSpinBox *m_beta = nullptr;
    QLabel *m_status = nullptr;
    QListWidget *m_families = nullptr;
    QStackedWidget *m_stack = nullptr;
    QList<AnalysisPage *> m_pages;
    QTimer m_recompute;
    QTimer m_theoryDelay;
    quint64 m_generation = 0;
    quint64 m_theoryGeneration = 0;
    std::shared_ptr<std::atomic_bool> m_cancel;
    bool m_computing = false;
    judge::MissingPolicy m_missing = judge::MissingPolicy::CountAsNo;
};

} // namespace rs::ui
