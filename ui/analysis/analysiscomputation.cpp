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

/// Computes every metric of one run from its loaded data. The project-level call
/// (computeProjectMetrics) would load the data again; the charts need the loaded responses
/// too, so they run the pure metric functions themselves.
Expected<analytics::ProjectMetrics> metricsFor(store::Database &db, analytics::MetricOptions options,
                                               qint64 runId,
                                               std::vector<analytics::ResponseFacts> *responses)
{
    options.runId = runId;
    auto data = analytics::loadMetricData(db, options);
    if (!data)
        return data.error();
    const analytics::MetricData &d = data.value();
    analytics::ProjectMetrics m;
    m.runId = d.runId;
    m.gradings = d.gradings;
    m.responses = qint64(d.responses.size());
    for (const analytics::ResponseFacts &r : d.responses)
        m.scoredResponses += r.scored ? 1 : 0;
    m.goldPairs = qint64(d.gold.size());
    m.tail = analytics::tailAccuracy(d, options);
    m.separation = analytics::topTierSeparation(d, options);
    m.discrimination = analytics::criterionDiscrimination(d, options);
    m.discriminationGap = analytics::meanDiscriminationGap(m.discrimination);
    m.style = analytics::styleConfound(d, options);
    qint64 compareRun = options.compareRunId;
    std::optional<std::vector<std::vector<analytics::Verdict>>> other;
    if (compareRun > 0) {
        auto verdicts = analytics::loadRunVerdicts(db, d, compareRun);
        if (verdicts)
            other = std::move(verdicts.value());
    }
    m.reliability = analytics::judgeReliability(d, other ? &*other : nullptr, compareRun);
    m.bestOfN = analytics::bestOfN(d, options);
    if (auto curves = analytics::readTrainingCurves(db))
        m.curves = std::move(curves.value());
    if (auto timeline = analytics::refinementTimeline(db, d, options))
        m.timeline = std::move(timeline.value());
    if (responses)
        *responses = d.responses;
    return m;
}

/// The defaults name the paper's tiers (excellent vs great); a project tagged otherwise
/// (great/good/base) compares its own best two tiers instead of showing nothing.
void adaptTiers(store::Database &db, analytics::MetricOptions &options)
{
    static const QStringList order = {QStringLiteral("excellent"), QStringLiteral("great"),
                                      QStringLiteral("good"),      QStringLiteral("weak"),
                                      QStringLiteral("base"),      QStringLiteral("bad")};
    auto rows = db.prepare("SELECT DISTINCT lower(tier) FROM responses WHERE tier <> ''");
    if (!rows)
        return;
    QStringList present;
    for (auto more = rows->step(); more && more.value(); more = rows->step())
        present.append(rows->columnText(0));
    if (present.contains(options.tierA))
        return;
    QStringList ranked;
    for (const QString &tier : order)
        if (present.contains(tier))
            ranked.append(tier);
    if (ranked.size() < 2)
        return;
    options.tierA = ranked.at(0);
    options.tierB = ranked.at(1);
    for (const QString &tier : ranked.mid(2))
        if (!options.lowTiers.contains(tier))
            options.lowTiers.append(tier);
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
    adaptTiers(db.value(), input.options);
    input.promptId = request.promptId;
    if (request.runB > 0)
        input.options.compareRunId = request.runB; // run-vs-run agreement compares A with B
    auto a = metricsFor(db.value(), input.options, request.runA, &input.responses);
    if (!a)
        return a.error();
    input.a = std::move(a.value());
    input.labelA = input.a.runId ? QObject::tr("run %1").arg(input.a.runId) : QObject::tr("no run");
    if (cancel && cancel->load())
        return cancelled();
    if (request.runB > 0 && request.runB != input.a.runId) {
        analytics::MetricOptions optionsB = input.options;
        optionsB.compareRunId = input.a.runId;
        auto b = metricsFor(db.value(), optionsB, request.runB, nullptr);
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
