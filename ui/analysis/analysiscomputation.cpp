#include "analysis/analysiscomputation.h"

#include "analysis/discriminationview.h"
#include "analysis/overoptimisationview.h"
#include "analysis/reliabilityview.h"
#include "analysis/separationview.h"
#include "store/database.h"
#include "analysis/styleconfoundview.h"
#include "analysis/tailaccuracyview.h"
#include "analysis/timelineview.h"

#include <QElapsedTimer>
#include <QObject>

namespace rs::ui {
namespace {

Error cancelled()
{
    return makeError(QObject::tr("Cancelled"));
}

/// One run's metrics, as `metrics --json` computes them, with the responses the charts plot.
Expected<analytics::ProjectMetrics> metricsFor(store::Database &db,
                                               analytics::MetricOptions options, qint64 runId,
                                               const std::atomic_bool *cancel,
                                               std::vector<analytics::ResponseFacts> *responses) {
    options.runId = runId;
    return analytics::computeProjectMetrics(
        db, options, [cancel](int, int) { return !cancel || !cancel->load(); }, responses);
}

} // namespace

QList<ReportSection> analysisSections(const AnalysisInput &input)
{
    return {TailAccuracyView::build(input), SeparationView::build(input),
            DiscriminationView::build(input), StyleConfoundView::build(input),
            ReliabilityView::build(input), OverOptimisationView::build(input),
            TimelineView::build(input)};
}

Expected<AnalysisResult> computeAnalysis(const AnalysisRequest &request,
                                         const std::atomic_bool *cancel)
{
    QElapsedTimer timer;
    timer.start();
    auto db = store::Database::open(request.projectPath, store::Database::Mode::ReadOnly);
    if (!db)
        return db.error();
    AnalysisInput input;
    input.options = request.options;
    if (auto adapted = analytics::adaptTiersToProject(db.value(), input.options); !adapted)
        return adapted.error();
    input.promptId = request.promptId;
    if (request.runB > 0)
        input.options.compareRunId = request.runB; // run-vs-run agreement compares A with B
    auto a = metricsFor(db.value(), input.options, request.runA, cancel, &input.responses);
    if (!a)
        return a.error();
    input.a = std::move(a.value());
    input.labelA = input.a.runId ? QObject::tr("run %1").arg(input.a.runId) : QObject::tr("no run");
    if (cancel && cancel->load())
        return cancelled();
    if (request.runB > 0 && request.runB != input.a.runId) {
        analytics::MetricOptions optionsB = input.options;
        optionsB.compareRunId = input.a.runId;
        auto b = metricsFor(db.value(), optionsB, request.runB, cancel, nullptr);
        if (!b)
            return b.error();
        input.b = std::move(b.value());
        input.labelB = QObject::tr("run %1").arg(input.b->runId);
    }
    if (cancel && cancel->load())
        return cancelled();
    AnalysisResult result;
    result.sections = analysisSections(input);
    result.runA = input.a.runId;
    result.responses = input.a.responses;
    result.goldPairs = input.a.goldPairs;
    result.elapsedMs = timer.elapsed();
    return result;
}

} // namespace rs::ui
