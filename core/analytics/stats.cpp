#include "stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace rs::analytics::stats {
namespace {

// Continued fraction of the regularised incomplete beta function, evaluated with the
// modified Lentz method; converges quickly for x < (a+1)/(a+b+2), the caller swaps otherwise.
double betaContinuedFraction(double a, double b, double x) {
    constexpr double tiny = 1e-300;
    constexpr double eps = 1e-15;
    double c = 1;
    double d = 1 - (a + b) * x / (a + 1);
    if (std::abs(d) < tiny)
        d = tiny;
    d = 1 / d;
    double h = d;
    for (int m = 1; m <= 500; ++m) {
        const double m2 = 2.0 * m;
        double aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
        d = 1 + aa * d;
        d = std::abs(d) < tiny ? tiny : d;
        c = 1 + aa / c;
        c = std::abs(c) < tiny ? tiny : c;
        d = 1 / d;
        h *= d * c;
        aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
        d = 1 + aa * d;
        d = std::abs(d) < tiny ? tiny : d;
        c = 1 + aa / c;
        c = std::abs(c) < tiny ? tiny : c;
        d = 1 / d;
        const double delta = d * c;
        h *= delta;
        if (std::abs(delta - 1) < eps)
            break;
    }
    return h;
}

double regularisedBeta(double a, double b, double x) {
    if (x <= 0)
        return 0;
    if (x >= 1)
        return 1;
    const double lnFront =
        std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
    if (x < (a + 1) / (a + b + 2))
        return std::exp(lnFront) * betaContinuedFraction(a, b, x) / a;
    return 1 - std::exp(lnFront) * betaContinuedFraction(b, a, 1 - x) / b;
}

double pearson(const std::vector<double> &x, const std::vector<double> &y) {
    const double n = double(x.size());
    const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n;
    const double my = std::accumulate(y.begin(), y.end(), 0.0) / n;
    double sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        const double dx = x[i] - mx;
        const double dy = y[i] - my;
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if (sxx <= 0 || syy <= 0)
        return std::nan("");
    return sxy / std::sqrt(sxx * syy);
}

} // namespace

std::vector<double> averageRanks(const std::vector<double> &x) {
    std::vector<size_t> order(x.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return x[a] < x[b]; });
    std::vector<double> ranks(x.size());
    for (size_t i = 0; i < order.size();) {
        size_t j = i;
        while (j + 1 < order.size() && x[order[j + 1]] == x[order[i]])
            ++j;
        const double rank = (double(i) + double(j)) / 2 + 1;
        for (size_t k = i; k <= j; ++k)
            ranks[order[k]] = rank;
        i = j + 1;
    }
    return ranks;
}

double tTestTwoSided(double t, double df) {
    if (!(df > 0) || std::isnan(t))
        return 1;
    if (std::isinf(t))
        return 0;
    return regularisedBeta(df / 2, 0.5, df / (df + t * t));
}

std::optional<Correlation> spearman(const std::vector<double> &x, const std::vector<double> &y) {
    if (x.size() != y.size() || x.size() < 3)
        return std::nullopt;
    const double rho = pearson(averageRanks(x), averageRanks(y));
    if (std::isnan(rho))
        return std::nullopt;
    Correlation c;
    c.rho = rho;
    c.n = qint64(x.size());
    const double df = double(x.size()) - 2;
    const double r2 = std::min(rho * rho, 1.0);
    c.pValue = r2 >= 1 ? 0 : tTestTwoSided(rho * std::sqrt(df / (1 - r2)), df);
    return c;
}

std::optional<double> auc(const std::vector<double> &a, const std::vector<double> &b) {
    if (a.empty() || b.empty())
        return std::nullopt;
    // Rank-sum form of U: O((n+m) log(n+m)) rather than comparing every pair.
    std::vector<double> all(a);
    all.insert(all.end(), b.begin(), b.end());
    const std::vector<double> ranks = averageRanks(all);
    double rankSumA = 0;
    for (size_t i = 0; i < a.size(); ++i)
        rankSumA += ranks[i];
    const double na = double(a.size());
    const double u = rankSumA - na * (na + 1) / 2;
    return u / (na * double(b.size()));
}

std::optional<double> cohenKappa(const std::vector<bool> &r1, const std::vector<bool> &r2) {
    if (r1.empty() || r1.size() != r2.size())
        return std::nullopt;
    const double n = double(r1.size());
    double agree = 0, yes1 = 0, yes2 = 0;
    for (size_t i = 0; i < r1.size(); ++i) {
        agree += r1[i] == r2[i];
        yes1 += r1[i];
        yes2 += r2[i];
    }
    const double po = agree / n;
    const double pe = (yes1 / n) * (yes2 / n) + (1 - yes1 / n) * (1 - yes2 / n);
    if (pe >= 1)
        return po >= 1 ? std::optional<double>(1.0) : std::nullopt;
    return (po - pe) / (1 - pe);
}

std::optional<double> quantile(std::vector<double> x, double q) {
    if (x.empty())
        return std::nullopt;
    std::sort(x.begin(), x.end());
    const double h = (double(x.size()) - 1) * std::clamp(q, 0.0, 1.0);
    const auto lo = std::size_t(std::floor(h));
    const std::size_t hi = std::min(lo + 1, x.size() - 1);
    return x[lo] + (h - double(lo)) * (x[hi] - x[lo]);
}

} // namespace rs::analytics::stats
