#pragma once

#include "metricdata.h"

#include <QString>

#include <optional>
#include <vector>

namespace rs::analytics {

/// Judge vs human kappa with what a reader needs to trust it: the share of "yes" among the
/// human labels (kappa moves with it), n and the bootstrap interval.
struct KappaEstimate final {
    Estimate kappa;
    double baseRate = 0;
};

struct CriterionAgreement final {
    qint64 promptId = 0;
    QString stableId;
    QString text;
    std::optional<double> kappa; ///< nullopt where undefined (one label throughout, one side)
    qint64 n = 0;
    double baseRate = 0;
    std::optional<Interval> ci; ///< over this criterion's cells
};

/// Agreement between annotators on the cells two or more labelled: Krippendorff's alpha for
/// nominal data, which allows any number of annotators per cell.
struct AnnotatorAgreement final {
    double value = 0;
    qint64 n = 0; ///< cells labelled by at least two annotators
    QString method = QStringLiteral("krippendorff_alpha");
};

/// A cell where the judge and the human consensus disagree, to read and learn from.
struct Disagreement final {
    qint64 responseId = 0;
    qint64 promptId = 0;
    QString stableId;
    QString text;
    bool judge = false;
    bool human = false;
    QString rationale; ///< the judge's, filled in by the caller that has the database
};

/// Agreement on blind labels only (overrides are corrections, a sample biased toward
/// disagreement, and do not count). A cell's human label is the annotators' majority; a cell
/// they split evenly is left out and counted in humanTies.
struct HumanAgreement final {
    std::optional<KappaEstimate> judgeHuman;
    /// The same over cells not shown to the judge as few-shot examples; set only when some
    /// cells are examples (then it is the figure to compare runs by).
    std::optional<KappaEstimate> judgeHumanHeldOut;
    qint64 examples = 0;
    std::vector<CriterionAgreement> perCriterion;
    std::optional<AnnotatorAgreement> annotators;
    std::vector<Disagreement> disagreements;
    qint64 labelledCells = 0;
    qint64 humanTies = 0;
    qint64 annotatorCount = 0;
    /// The run's judge model is calibrated for these rubrics: n >= 50 and the interval's lower
    /// bound at or above the threshold.
    bool calibrated = false;
    double threshold = 0.6;
    QString judgeModel;
};

/// Computes agreement from `data.labelled`, with intervals from `bootstrap` replicates over
/// prompts (over cells for one criterion) seeded by `seed`.
HumanAgreement humanAgreement(const MetricData &data, const MetricOptions &options);

/// Krippendorff's alpha (nominal) over units of binary values; units with fewer than two
/// values do not count. nullopt when no unit has two values or there is no variation at all.
std::optional<double> krippendorffAlpha(const std::vector<std::vector<bool>> &units);

} // namespace rs::analytics
