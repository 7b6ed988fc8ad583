#include "clusterbootstrap.h"

#include "common/splitmix.h"
#include "stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <thread>

namespace rs::analytics {
namespace {

constexpr double kUndefined = std::numeric_limits<double>::quiet_NaN();

SplitMix64 generatorFor(std::uint64_t seed, int replicate) {
    SplitMix64 mix(seed ^ (0xD1B54A32D192ED03ULL * std::uint64_t(replicate + 1)));
    return SplitMix64(mix.next());
}

// Average ranks (1-based) of the items with weight in the replicate: an item drawn w times
// stands for w tied copies. `order` sorts the items by value.
void weightedRanks(const std::vector<int> &order, const std::vector<double> &value,
                   const std::vector<double> &itemWeight, std::vector<double> &rank) {
    double below = 0;
    for (std::size_t i = 0; i < order.size();) {
        std::size_t j = i;
        double tied = 0;
        while (j < order.size() && value[std::size_t(order[j])] == value[std::size_t(order[i])])
            tied += itemWeight[std::size_t(order[j++])];
        const double r = below + (tied + 1) / 2;
        for (std::size_t k = i; k < j; ++k)
            rank[std::size_t(order[k])] = r;
        below += tied;
        i = j;
    }
}

std::vector<int> orderBy(const std::vector<double> &value) {
    std::vector<int> order(value.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return value[std::size_t(a)] < value[std::size_t(b)]; });
    return order;
}

} // namespace

std::vector<int> replicateDraws(int clusters, std::uint64_t seed, int replicate) {
    SplitMix64 rng = generatorFor(seed, replicate);
    std::vector<int> draws(std::size_t(std::max(0, clusters)));
    for (int &d : draws)
        d = int(rng.below(clusters));
    return draws;
}

std::vector<double> replicateCounts(int clusters, std::uint64_t seed, int replicate) {
    std::vector<double> counts(std::size_t(std::max(0, clusters)), 0.0);
    for (const int d : replicateDraws(clusters, seed, replicate))
        counts[std::size_t(d)] += 1;
    return counts;
}

std::optional<Interval> percentileInterval(std::vector<double> values, double level) {
    std::erase_if(values, [](double v) { return !std::isfinite(v); });
    if (values.empty())
        return std::nullopt;
    const double tail = (1 - level) / 2;
    const auto low = stats::quantile(values, tail);
    const auto high = stats::quantile(std::move(values), 1 - tail);
    return Interval{*low, *high};
}

ClusterBootstrap::ClusterBootstrap(int clusters, int replicates, std::uint64_t seed)
    : m_clusters(std::max(0, clusters)), m_replicates(std::max(0, replicates)), m_seed(seed) {}

int ClusterBootstrap::add(Statistic s) {
    m_statistics.push_back(std::move(s));
    m_values.emplace_back();
    return int(m_statistics.size()) - 1;
}

int ClusterBootstrap::addRatio(std::vector<double> num, std::vector<double> den) {
    return add([num = std::move(num), den = std::move(den)](const std::vector<double> &w) {
        double a = 0, b = 0;
        for (std::size_t c = 0; c < w.size() && c < num.size(); ++c) {
            a += w[c] * num[c];
            b += w[c] * den[c];
        }
        return b > 0 ? a / b : kUndefined;
    });
}

int ClusterBootstrap::addSpearman(const std::vector<ClusterItem> &items) {
    std::vector<double> x, y;
    std::vector<int> cluster;
    x.reserve(items.size());
    y.reserve(items.size());
    cluster.reserve(items.size());
    for (const ClusterItem &i : items) {
        x.push_back(i.x);
        y.push_back(i.y);
        cluster.push_back(i.cluster);
    }
    std::vector<int> byX = orderBy(x), byY = orderBy(y);
    return add([x = std::move(x), y = std::move(y), cluster = std::move(cluster),
                byX = std::move(byX), byY = std::move(byY)](const std::vector<double> &w) {
        const std::size_t n = x.size();
        std::vector<double> weight(n), rx(n), ry(n);
        double total = 0;
        for (std::size_t i = 0; i < n; ++i) {
            weight[i] = w[std::size_t(cluster[i])];
            total += weight[i];
        }
        if (total < 3)
            return kUndefined;
        weightedRanks(byX, x, weight, rx);
        weightedRanks(byY, y, weight, ry);
        double sx = 0, sy = 0;
        for (std::size_t i = 0; i < n; ++i) {
            sx += weight[i] * rx[i];
            sy += weight[i] * ry[i];
        }
        const double mx = sx / total, my = sy / total;
        double sxx = 0, syy = 0, sxy = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const double dx = rx[i] - mx, dy = ry[i] - my;
            sxx += weight[i] * dx * dx;
            syy += weight[i] * dy * dy;
            sxy += weight[i] * dx * dy;
        }
        if (sxx <= 0 || syy <= 0)
            return kUndefined;
        return sxy / std::sqrt(sxx * syy);
    });
}

int ClusterBootstrap::addAuc(std::vector<ClusterItem> items) {
    std::vector<double> value;
    value.reserve(items.size());
    for (const ClusterItem &i : items)
        value.push_back(i.x);
    std::vector<int> order = orderBy(value);
    return add([items = std::move(items), order = std::move(order)](const std::vector<double> &w) {
        double u = 0, belowB = 0, totalA = 0, totalB = 0;
        for (std::size_t i = 0; i < order.size();) {
            std::size_t j = i;
            double groupA = 0, groupB = 0;
            while (j < order.size() &&
                   items[std::size_t(order[j])].x == items[std::size_t(order[i])].x) {
                const ClusterItem &it = items[std::size_t(order[j++])];
                (it.y == 1 ? groupA : groupB) += w[std::size_t(it.cluster)];
            }
            u += groupA * (belowB + groupB / 2);
            belowB += groupB;
            totalA += groupA;
            totalB += groupB;
            i = j;
        }
        return totalA > 0 && totalB > 0 ? u / (totalA * totalB) : kUndefined;
    });
}

int ClusterBootstrap::addKappa(std::vector<std::array<double, 4>> tables) {
    return add([tables = std::move(tables)](const std::vector<double> &w) {
        std::array<double, 4> sum{};
        for (std::size_t c = 0; c < w.size() && c < tables.size(); ++c)
            for (std::size_t k = 0; k < 4; ++k)
                sum[k] += w[c] * tables[c][k];
        return kappaOfTable(sum).value_or(kUndefined);
    });
}

int ClusterBootstrap::addKappaDifference(std::vector<std::array<double, 4>> before,
                                         std::vector<std::array<double, 4>> after) {
    return add([before = std::move(before), after = std::move(after)](const std::vector<double> &w) {
        std::array<double, 4> a{}, b{};
        for (std::size_t c = 0; c < w.size() && c < before.size() && c < after.size(); ++c)
            for (std::size_t k = 0; k < 4; ++k) {
                a[k] += w[c] * before[c][k];
                b[k] += w[c] * after[c][k];
            }
        const auto ka = kappaOfTable(a), kb = kappaOfTable(b);
        return ka && kb ? *kb - *ka : kUndefined;
    });
}

void ClusterBootstrap::run(int threads) {
    for (auto &v : m_values)
        v.assign(std::size_t(m_replicates), kUndefined);
    if (m_clusters == 0 || m_replicates == 0 || m_statistics.empty())
        return;
    const auto work = [this](int from, int to) {
        for (int b = from; b < to; ++b) {
            const std::vector<double> w = replicateCounts(m_clusters, m_seed, b);
            for (std::size_t s = 0; s < m_statistics.size(); ++s)
                m_values[s][std::size_t(b)] = m_statistics[s](w);
        }
    };
    const int n = std::clamp(threads, 1, std::max(1, m_replicates));
    std::vector<std::thread> pool;
    for (int t = 1; t < n; ++t)
        pool.emplace_back(work, m_replicates * t / n, m_replicates * (t + 1) / n);
    work(0, m_replicates / n);
    for (auto &t : pool)
        t.join();
}

std::optional<Interval> ClusterBootstrap::interval(int statistic) const {
    const std::vector<double> &v = m_values[std::size_t(statistic)];
    const auto defined = std::count_if(v.begin(), v.end(), [](double x) { return std::isfinite(x); });
    if (defined == 0 || 2 * defined < std::ptrdiff_t(v.size()))
        return std::nullopt;
    return percentileInterval(v);
}

} // namespace rs::analytics
