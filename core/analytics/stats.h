#pragma once

#include "metricoptions.h"

#include <optional>
#include <vector>

namespace rs::analytics::stats {

/// Ranks 1..n with ties given their average rank (the convention Spearman and
/// Mann-Whitney use).
std::vector<double> averageRanks(const std::vector<double> &x);

/// Spearman's rho: Pearson correlation of the average ranks; p from the t approximation
/// with n-2 degrees of freedom. nullopt below 3 observations or when either side is constant.
std::optional<Correlation> spearman(const std::vector<double> &x, const std::vector<double> &y);

/// P(a random element of `a` scores above one of `b`), ties counting one half: the
/// Mann-Whitney U of `a` divided by |a|·|b|. nullopt when either side is empty.
std::optional<double> auc(const std::vector<double> &a, const std::vector<double> &b);

/// Cohen's kappa of two raters on binary labels; nullopt when there are no items, and 1
/// with perfect agreement on a single label (chance agreement 1, undefined otherwise).
std::optional<double> cohenKappa(const std::vector<bool> &rater1, const std::vector<bool> &rater2);

/// The q-quantile (0 <= q <= 1) with linear interpolation between order statistics (R's
/// type 7, numpy's default). nullopt for an empty sample.
std::optional<double> quantile(std::vector<double> x, double q);

/// Two-sided p-value of Student's t with `df` degrees of freedom.
double tTestTwoSided(double t, double df);

} // namespace rs::analytics::stats
