#pragma once

#include "analysis/analysisinput.h"
#include "common/error.h"
#include "analysis/reportwriter.h"

#include <QList>
#include <QString>

#include <atomic>

namespace rs::ui {

/// What the Analysis tab asks for: which runs, which scope, which settings.
struct AnalysisRequest final {
    QString projectPath;
    qint64 runA = 0; ///< 0: the latest run
    qint64 runB = 0; ///< 0: no side-by-side comparison
    qint64 promptId = 0;
    analytics::MetricOptions options;
};

/// Every data-driven metric family, as pages ready to show or print. Theory is not here: it
/// needs no project and is recomputed from its own controls.
struct AnalysisResult final {
    QList<ReportSection> sections;
    qint64 runA = 0;
    qint64 responses = 0;
    qint64 goldPairs = 0;
    qint64 elapsedMs = 0;
};

/// Loads the metric data of run A (and B), computes every metric and builds the pages.
/// Blocking, with its own read-only connection: call it on a worker. `cancel` is polled
/// between stages.
Expected<AnalysisResult> computeAnalysis(const AnalysisRequest &request,
                                         const std::atomic_bool *cancel = nullptr);

/// The metric-family pages of `input`, in the Analysis tab's order.
QList<ReportSection> analysisSections(const AnalysisInput &input);

} // namespace rs::ui
