#pragma once

#include "judge/scoring.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>

namespace rs::analytics {

/// How a pair on which the rubric gives both responses the same reward is counted.
enum class TiePolicy {
    Wrong, ///< as the paper: a tie never agrees with the gold winner
    Half   ///< a tie earns half a point
};

/// How the high-reward and low-reward regions of tail accuracy are chosen.
enum class RegionPolicy {
    Tiers,        ///< both responses carry a tier tag from highTiers (high) or lowTiers (low)
    GoldQuantile, ///< by each response's gold score against the `quantile` cut
    ScoreQuantile ///< by each response's rubric reward against the `quantile` cut
};

QString tiePolicyName(TiePolicy policy);
std::optional<TiePolicy> tiePolicyFromName(const QString &name);
QString regionPolicyName(RegionPolicy policy);
std::optional<RegionPolicy> regionPolicyFromName(const QString &name);

/// Settings shared by every project-level metric. Defaults follow the paper.
struct MetricOptions final {
    qint64 runId = 0;        ///< judge run the rewards come from; 0 = the most recent
    qint64 compareRunId = 0; ///< second run for judge agreement; 0 = the run before runId
    TiePolicy ties = TiePolicy::Wrong;
    RegionPolicy regions = RegionPolicy::Tiers;
    QStringList highTiers{QStringLiteral("excellent"), QStringLiteral("great")};
    QStringList lowTiers{QStringLiteral("good"), QStringLiteral("ok"), QStringLiteral("weak"),
                         QStringLiteral("bad")};
    /// Quantile regions: a pair is high when both responses lie at or above this quantile of
    /// the project's gold scores (or rewards), low when both lie below it.
    double quantile = 0.5;
    QString tierA = QStringLiteral("excellent"); ///< top-tier AUC: tier A against ...
    QString tierB = QStringLiteral("great");     ///< ... tier B
    int topK = 4;                  ///< responses per prompt examined for ties and spread
    QStringList preferenceSources; ///< gold sources used ("import", "human", "oracle"); empty = all
    int maxBestOfN = 16;           ///< best-of-N curve from N = 1 to this
    /// A criterion without a usable verdict: counted as "no" (the paper) or left out of the
    /// reward. The same setting as `scores --missing`, so scores and metrics agree.
    judge::MissingPolicy missing = judge::MissingPolicy::CountAsNo;
    /// Bootstrap replicates over prompts for the 95% intervals (0: no intervals), and the seed
    /// that makes them reproducible.
    int bootstrap = 1000;
    std::uint64_t seed = 1;
    /// A judge model and rubric are "calibrated" when at least 50 blind labels agree with the
    /// judge with kappa's interval above this.
    double calibrationKappa = 0.6;
};

/// A percentile interval from a bootstrap over prompts: the 2.5% and 97.5% quantiles
/// (type 7) of the replicates on which the statistic was defined.
struct Interval final {
    double low = 0;
    double high = 0;
};

/// A statistic with the number of observations behind it and, once the bootstrap has run,
/// its 95% interval. Metrics that the data cannot support are std::nullopt rather than a
/// made-up zero.
struct Estimate final {
    double value = 0;
    qint64 n = 0;
    std::optional<Interval> ci;
};

/// A rank correlation with its sample size, a two-sided p-value (t approximation, which
/// assumes independent observations) and the bootstrap interval over prompts, which does not.
struct Correlation final {
    double rho = 0;
    qint64 n = 0;
    double pValue = 1;
    std::optional<Interval> ci;
};

} // namespace rs::analytics
