#include "tailaccuracy.h"

#include <algorithm>
#include <cmath>

namespace rs::analytics {
namespace {

double quantileOf(std::vector<double> v, double q) {
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    const double pos = std::clamp(q, 0.0, 1.0) * double(v.size() - 1);
    const size_t lo = size_t(std::floor(pos));
    const size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (v[hi] - v[lo]) * (pos - double(lo));
}

} // namespace

TailAccuracy tailAccuracy(const MetricData &data, const MetricOptions &options) {
    TailAccuracy out;
    double cut = 0;
    if (options.regions != RegionPolicy::Tiers) {
        std::vector<double> values;
        for (const ResponseFacts &f : data.responses) {
            if (options.regions == RegionPolicy::GoldQuantile && f.gold)
                values.push_back(*f.gold);
            else if (options.regions == RegionPolicy::ScoreQuantile && f.scored)
                values.push_back(f.reward);
        }
        cut = quantileOf(std::move(values), options.quantile);
    }
    const auto regionOf = [&](const ResponseFacts &f) -> Region {
        switch (options.regions) {
        case RegionPolicy::Tiers:
            if (options.highTiers.contains(f.tier, Qt::CaseInsensitive))
                return Region::High;
            if (options.lowTiers.contains(f.tier, Qt::CaseInsensitive))
                return Region::Low;
            return Region::Other;
        case RegionPolicy::GoldQuantile:
            if (!f.gold)
                return Region::Other;
            return *f.gold >= cut ? Region::High : Region::Low;
        case RegionPolicy::ScoreQuantile:
            return f.reward >= cut ? Region::High : Region::Low;
        }
        return Region::Other;
    };

    double sumHigh = 0, sumLow = 0, sumAll = 0;
    qint64 nHigh = 0, nLow = 0, nAll = 0;
    for (const GoldPair &g : data.gold) {
        const ResponseFacts &a = data.responses[size_t(g.a)];
        const ResponseFacts &b = data.responses[size_t(g.b)];
        if (!a.scored || !b.scored)
            continue;
        if (g.preference == 0.5) {
            ++out.goldTies;
            continue;
        }
        PairOutcome p;
        p.preferenceId = g.preferenceId;
        p.promptId = g.promptId;
        p.responseA = a.responseId;
        p.responseB = b.responseId;
        p.gold = g.preference;
        p.rewardA = a.reward;
        p.rewardB = b.reward;
        // The rubric's preference: the majority over gradings, each grading a full scoring.
        const size_t n = std::min(a.gradingRewards.size(), b.gradingRewards.size());
        for (size_t k = 0; k < n; ++k) {
            p.votesA += a.gradingRewards[k] > b.gradingRewards[k];
            p.votesB += b.gradingRewards[k] > a.gradingRewards[k];
        }
        const bool goldB = g.preference > 0.5;
        if (p.votesA == p.votesB) {
            ++out.rubricTies;
            p.credit = options.ties == TiePolicy::Half ? 0.5 : 0;
        } else {
            p.credit = (p.votesB > p.votesA) == goldB ? 1 : 0;
        }
        const Region ra = regionOf(a), rb = regionOf(b);
        p.region = ra == rb ? ra : Region::Other;
        sumAll += p.credit;
        ++nAll;
        if (p.region == Region::High) {
            sumHigh += p.credit;
            ++nHigh;
        } else if (p.region == Region::Low) {
            sumLow += p.credit;
            ++nLow;
        }
        out.pairs.push_back(p);
    }
    if (nHigh)
        out.high = Estimate{sumHigh / double(nHigh), nHigh};
    if (nLow)
        out.low = Estimate{sumLow / double(nLow), nLow};
    if (nAll)
        out.all = Estimate{sumAll / double(nAll), nAll};
    return out;
}

} // namespace rs::analytics
