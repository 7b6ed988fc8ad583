#pragma once

// The aggregation preview's numbers by hand, for tst_aggregationpreview and the Aggregation
// panel's test: rewards, soft rewards, AUC, ties at the top, tail accuracy and GRPO advantages
// from the tables of aggregationproject.h, without the studio's scoring or metric functions.
#include "aggregationproject.h"
#include "judge/scoring.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace rs::test {

using Plain = PlainAggregation;

inline Plain plainOf(const judge::AggregationSpec &s) {
    return {s.type == judge::Aggregation::Points, s.vetoCap,
            s.shaping == judge::Shaping::None    ? 0
            : s.shaping == judge::Shaping::Power ? 1
                                                 : 2,
            s.exponent};
}

// The formula by hand: credit v_i in [0, 1] per criterion, weights w_i, the veto by verdict.
inline double plainScore(const std::array<double, kAggCriteria> &v,
                         const std::array<bool, kAggCriteria> &met, const Plain &a) {
    double num = 0, den = 0;
    for (int i = 0; i < kAggCriteria; ++i) {
        const double w = kAggWeight[std::size_t(i)];
        if (!a.points || w > 0)
            den += w;
        num += w * v[std::size_t(i)];
    }
    double s = den == 0 ? 0 : num / den;
    if (a.points)
        s = den <= 0 ? 0 : std::clamp(s, 0.0, 1.0);
    if (a.shaping != 0) {
        s = std::clamp(s, 0.0, 1.0);
        s = a.shaping == 1 ? std::pow(s, a.k) : (std::exp(a.k * s) - 1) / (std::exp(a.k) - 1);
    }
    for (int i = 0; i < kAggCriteria; ++i)
        if (kAggVeto[std::size_t(i)] && !met[std::size_t(i)])
            return std::min(s, a.cap);
    return s;
}

inline double plainReward(const std::array<bool, kAggCriteria> &met, const Plain &a) {
    std::array<double, kAggCriteria> v{};
    for (int i = 0; i < kAggCriteria; ++i)
        v[std::size_t(i)] = met[std::size_t(i)] ? 1 : 0;
    return plainScore(v, met, a);
}

inline double plainSoft(const std::array<bool, kAggCriteria> &met, const Plain &a) {
    std::array<double, kAggCriteria> v{};
    for (int i = 0; i < kAggCriteria; ++i)
        v[std::size_t(i)] = i == 2                ? AggregationProject::pYesOfC3(met[2])
                            : met[std::size_t(i)] ? 1
                                                  : 0;
    return plainScore(v, met, a);
}

inline std::vector<double> plainAdvantages(const std::vector<double> &r) {
    double mean = 0;
    for (double x : r)
        mean += x;
    mean /= double(r.size());
    double ss = 0;
    for (double x : r)
        ss += (x - mean) * (x - mean);
    const double sd = std::sqrt(ss / double(r.size())); // population: divided by n
    std::vector<double> a;
    for (double x : r)
        a.push_back((x - mean) / (sd + 1e-6));
    return a;
}

struct Want {
    std::map<qint64, double> reward;
    std::map<qint64, double> soft;
    std::map<qint64, double> advantage;
    std::optional<double> auc, tieRate, tail, tailHigh, zeroShare, gap;
    qint64 groups = 0, zeroGroups = 0;
};

inline Want expectedFor(const AggregationProject &p, const std::optional<Plain> &candidate) {
    Want e;
    std::map<qint64, std::vector<qint64>> byPrompt;
    for (const auto &[id, met] : p.verdicts) {
        const Plain a = candidate ? *candidate : p.stored.at(p.promptOf.at(id));
        e.reward[id] = plainReward(met, a);
        e.soft[id] = plainSoft(met, a);
        byPrompt[p.promptOf.at(id)].push_back(id);
    }
    double u = 0, gapSum = 0;
    qint64 pairs = 0, ties = 0, gapGroups = 0;
    for (const auto &[prompt, ids] : byPrompt) {
        std::vector<double> r;
        for (qint64 id : ids)
            r.push_back(e.reward[id]);
        const std::vector<double> a = plainAdvantages(r);
        double top = 0, rest = 0;
        int nTop = 0, nRest = 0;
        for (std::size_t i = 0; i < ids.size(); ++i) {
            e.advantage[ids[i]] = a[i];
            const bool great = p.tier.at(ids[i]) == QLatin1String("great");
            (great ? top : rest) += a[i];
            (great ? nTop : nRest) += 1;
            for (std::size_t j = 0; j < ids.size(); ++j)
                if (great && p.tier.at(ids[j]) == QLatin1String("good")) {
                    u += r[i] > r[j] ? 1 : r[i] == r[j] ? 0.5 : 0;
                    ++pairs;
                }
        }
        if (ids.size() < 2)
            continue;
        ++e.groups;
        std::vector<double> sorted = r;
        std::sort(sorted.rbegin(), sorted.rend());
        ties += sorted[0] == sorted[1];
        e.zeroGroups += sorted.front() == sorted.back();
        if (nTop && nRest) {
            gapSum += top / nTop - rest / nRest;
            ++gapGroups;
        }
    }
    if (pairs)
        e.auc = u / double(pairs);
    if (e.groups) {
        e.tieRate = double(ties) / double(e.groups);
        e.zeroShare = double(e.zeroGroups) / double(e.groups);
    }
    if (gapGroups)
        e.gap = gapSum / double(gapGroups);
    double all = 0, high = 0;
    int nAll = 0, nHigh = 0;
    for (const auto &g : p.gold) {
        if (g.preference == 0.5)
            continue;
        const double ra = e.reward.at(g.a), rb = e.reward.at(g.b);
        const double credit = ra == rb ? 0 : ((rb > ra) == (g.preference > 0.5) ? 1 : 0);
        all += credit;
        ++nAll;
        if (p.tier.at(g.a) == QLatin1String("great") && p.tier.at(g.b) == QLatin1String("great")) {
            high += credit;
            ++nHigh;
        }
    }
    if (nAll)
        e.tail = all / nAll;
    if (nHigh)
        e.tailHigh = high / nHigh;
    return e;
}

} // namespace rs::test
