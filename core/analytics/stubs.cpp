// Temporary stubs so the API compiles for the charts helper; replaced file by file.
#include "metricsjson.h"
#include "stats.h"

namespace rs::analytics {
namespace {
Error notYet() { return makeError(QStringLiteral("not implemented yet")); }
}
Expected<MetricData> loadMetricData(store::Database &, const MetricOptions &) { return notYet(); }
Expected<std::vector<std::vector<Verdict>>> loadRunVerdicts(store::Database &, const MetricData &, qint64) { return notYet(); }
void countFormatting(std::string_view, int *b, int *h) { *b = 0; *h = 0; }
TailAccuracy tailAccuracy(const MetricData &, const MetricOptions &) { return {}; }
TopTierSeparation topTierSeparation(const MetricData &, const MetricOptions &) { return {}; }
std::vector<CriterionDiscrimination> criterionDiscrimination(const MetricData &, const MetricOptions &) { return {}; }
std::optional<Estimate> meanDiscriminationGap(const std::vector<CriterionDiscrimination> &) { return {}; }
StyleConfound styleConfound(const MetricData &, const MetricOptions &) { return {}; }
JudgeReliability judgeReliability(const MetricData &, const std::vector<std::vector<Verdict>> *, qint64) { return {}; }
double Mapping::gold(double u) const { return u; }
QString Mapping::name() const { return {}; }
Expected<Mapping> parseMapping(const QString &) { return notYet(); }
TheoryPoint theoryPoint(const Mapping &, double) { return {}; }
TheoryCurve theoryCurve(const Mapping &m, const std::vector<double> &) { return {m, {}}; }
std::vector<double> defaultBetas(int) { return {}; }
std::vector<Mapping> paperMappings() { return {}; }
std::vector<SweepPoint> topWrongSweep(double, const std::vector<double> &) { return {}; }
std::vector<BestOfNPoint> bestOfN(const MetricData &, const MetricOptions &) { return {}; }
Expected<std::vector<TrainingCurve>> parseTrainingCurves(const QString &) { return notYet(); }
Expected<qint64> importTrainingCurves(store::ProjectStore &, const QString &) { return notYet(); }
Expected<std::vector<TrainingCurve>> readTrainingCurves(store::Database &) { return notYet(); }
void markPeak(TrainingCurve &) {}
Expected<RefinementTimeline> refinementTimeline(store::Database &, const MetricData &, const MetricOptions &) { return notYet(); }
Expected<ProjectMetrics> computeProjectMetrics(store::Database &, const MetricOptions &, const MetricsProgressFn &) { return notYet(); }
nlohmann::json toJson(const ProjectMetrics &, const MetricOptions &) { return {}; }
nlohmann::json toJson(const TheoryCurve &) { return {}; }
namespace stats {
std::vector<double> averageRanks(const std::vector<double> &) { return {}; }
std::optional<Correlation> spearman(const std::vector<double> &, const std::vector<double> &) { return {}; }
std::optional<double> auc(const std::vector<double> &, const std::vector<double> &) { return {}; }
std::optional<double> cohenKappa(const std::vector<bool> &, const std::vector<bool> &) { return {}; }
double tTestTwoSided(double, double) { return 1; }
}
} // namespace rs::analytics
