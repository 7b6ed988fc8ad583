#include "groupadvantages.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace rs::analytics {

std::vector<double> groupAdvantages(const std::vector<double> &rewards) {
    std::vector<double> out(rewards.size(), 0.0);
    // Equal rewards give exact zeros: their floating-point mean can miss them by an ulp, which
    // the epsilon would blow up to a spurious 1e-10.
    if (rewards.empty() ||
        std::all_of(rewards.begin(), rewards.end(), [&](double r) { return r == rewards.front(); }))
        return out;
    const double n = double(rewards.size());
    double mean = 0;
    for (const double r : rewards)
        mean += r;
    mean /= n;
    double var = 0;
    for (const double r : rewards)
        var += (r - mean) * (r - mean);
    const double std = std::sqrt(var / n);
    for (std::size_t i = 0; i < rewards.size(); ++i)
        out[i] = (rewards[i] - mean) / (std + kAdvantageEpsilon);
    return out;
}

AdvantageSummary advantageSummary(const MetricData &data, const QString &topTier) {
    // Prompt order (a map) keeps the result independent of the response order.
    std::map<qint64, std::vector<int>> groups;
    for (std::size_t i = 0; i < data.responses.size(); ++i)
        if (data.responses[i].scored)
            groups[data.responses[i].promptId].push_back(int(i));

    AdvantageSummary out;
    double gapSum = 0;
    qint64 gapGroups = 0;
    for (const auto &[prompt, members] : groups) {
        if (members.size() < 2)
            continue;
        ++out.groups;
        std::vector<double> rewards;
        rewards.reserve(members.size());
        for (const int i : members)
            rewards.push_back(data.responses[std::size_t(i)].reward);
        const auto [lo, hi] = std::minmax_element(rewards.begin(), rewards.end());
        if (*lo == *hi)
            ++out.zeroSpreadGroups;
        const std::vector<double> a = groupAdvantages(rewards);
        double top = 0, rest = 0;
        int nTop = 0, nRest = 0;
        for (std::size_t j = 0; j < members.size(); ++j) {
            const bool isTop = data.responses[std::size_t(members[j])].tier.compare(
                                   topTier, Qt::CaseInsensitive) == 0;
            (isTop ? top : rest) += a[j];
            (isTop ? nTop : nRest) += 1;
        }
        if (nTop > 0 && nRest > 0) {
            gapSum += top / nTop - rest / nRest;
            ++gapGroups;
        }
    }
    if (out.groups > 0)
        out.zeroSpreadShare =
            Estimate{double(out.zeroSpreadGroups) / double(out.groups), out.groups};
    if (gapGroups > 0)
        out.advantageGap = Estimate{gapSum / double(gapGroups), gapGroups};
    return out;
}

} // namespace rs::analytics
