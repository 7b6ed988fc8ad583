#pragma once

#include "common/kappa.h"
#include "metricoptions.h"

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace rs::analytics {

/// The draw of one bootstrap replicate: `clusters` draws with replacement from
/// [0, clusters), as how often each cluster was drawn. Replicate b has its own generator
/// (SplitMix64 seeded with seed and b), so replicates can be computed in any order or on any
/// thread and a plain re-sampling loop reproduces them exactly.
std::vector<double> replicateCounts(int clusters, std::uint64_t seed, int replicate);

/// One draw of replicate `replicate`'s sequence, for a reference loop that resamples items
/// itself: the i-th cluster drawn (0 <= i < clusters).
std::vector<int> replicateDraws(int clusters, std::uint64_t seed, int replicate);

/// One item of a rank correlation or an AUC: its values and the cluster (prompt) it is in.
struct ClusterItem final {
    double x = 0;
    double y = 0;
    int cluster = 0;
};

/// Bootstrap over clusters (the prompts), the unit the metrics' observations depend within:
/// responses to one prompt share its rubric and its difficulty. Statistics are registered
/// as per-cluster sufficient statistics, so a replicate costs one pass over clusters (or over
/// items for rank statistics) instead of recomputing the metric from the rows. Every
/// statistic sees the same replicates, so two runs compared on one bootstrap are paired.
class ClusterBootstrap final {
public:
    ClusterBootstrap(int clusters, int replicates, std::uint64_t seed);

    int clusters() const { return m_clusters; }
    int replicates() const { return m_replicates; }

    /// Σ w·num / Σ w·den over clusters; undefined when Σ w·den is 0. A mean over clusters
    /// has den 1 for each cluster that has a value, a share has counts in both.
    int addRatio(std::vector<double> num, std::vector<double> den);
    /// Spearman's rho of (x, y) over items, ties at their average rank within the replicate.
    int addSpearman(const std::vector<ClusterItem> &items);
    /// P(an x of side A exceeds one of side B), ties 1/2: items with y = 1 are side A, y = 0
    /// side B.
    int addAuc(std::vector<ClusterItem> items);
    /// Cohen's kappa of a 2x2 table summed over clusters: {yes/yes, yes/no, no/yes, no/no}.
    int addKappa(std::vector<std::array<double, 4>> tables);
    /// kappa(after) - kappa(before), both tables summed over the same replicate's clusters
    /// (a paired comparison, e.g. judge runs before and after a prompt change).
    int addKappaDifference(std::vector<std::array<double, 4>> before,
                           std::vector<std::array<double, 4>> after);

    /// Computes every replicate of every statistic, on `threads` threads.
    void run(int threads = 2);
    /// The interval of a statistic; nullopt when fewer than half of the replicates define it.
    std::optional<Interval> interval(int statistic) const;
    /// The replicate values of a statistic (NaN where undefined), for tests.
    const std::vector<double> &values(int statistic) const { return m_values[std::size_t(statistic)]; }

private:
    using Statistic = std::function<double(const std::vector<double> &weights)>;
    int add(Statistic s);

    int m_clusters = 0;
    int m_replicates = 0;
    std::uint64_t m_seed = 0;
    std::vector<Statistic> m_statistics;
    std::vector<std::vector<double>> m_values;
};

using rs::kappaOfTable;

/// Percentile interval of sample values (NaN entries skipped); nullopt when none is defined.
std::optional<Interval> percentileInterval(std::vector<double> values, double level = 0.95);

} // namespace rs::analytics
