#include "bestofn.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace rs::analytics {
namespace {

// C(a, n) / C(m, n) through log-gamma, so N up to a few hundred stays finite.
double binomialRatio(int a, int m, int n) {
    if (a < n)
        return 0;
    return std::exp(std::lgamma(a + 1.0) - std::lgamma(a - n + 1.0) - std::lgamma(m + 1.0) +
                    std::lgamma(m - n + 1.0));
}

struct Item {
    double key;
    double gold;
};

// Expected gold of the item with the highest key in a uniform N-subset of `items`, ties in
// the key broken uniformly. Items are grouped by key value: the best of the subset lies in
// group j with probability [C(L+s, N) - C(L, N)] / C(m, N) (L items below the group, s in
// it), and by symmetry each member of the group is then equally likely.
double expectedBest(std::vector<Item> items, int n) {
    std::sort(items.begin(), items.end(),
              [](const Item &x, const Item &y) { return x.key < y.key; });
    const int m = int(items.size());
    double expected = 0;
    for (int i = 0; i < m;) {
        int j = i;
        double goldSum = 0;
        while (j < m && items[size_t(j)].key == items[size_t(i)].key)
            goldSum += items[size_t(j++)].gold;
        const double p = binomialRatio(j, m, n) - binomialRatio(i, m, n);
        expected += p * goldSum / double(j - i);
        i = j;
    }
    return expected;
}

} // namespace

std::vector<BestOfNPoint> bestOfN(const MetricData &data, const MetricOptions &options) {
    std::map<qint64, std::vector<Item>> byPrompt;
    for (const ResponseFacts &f : data.responses)
        if (f.scored && f.gold)
            byPrompt[f.promptId].push_back({f.reward, *f.gold});
    std::vector<BestOfNPoint> out;
    for (int n = 1; n <= std::max(1, options.maxBestOfN); ++n) {
        BestOfNPoint p;
        p.n = n;
        for (const auto &[prompt, items] : byPrompt) {
            if (int(items.size()) < n)
                continue;
            std::vector<Item> byGold = items;
            double mean = 0;
            for (Item &it : byGold) {
                it.key = it.gold;
                mean += it.gold;
            }
            const double rubric = expectedBest(items, n);
            const double gold = expectedBest(std::move(byGold), n);
            p.byRubric += rubric;
            p.byGold += gold;
            p.promptIds.push_back(prompt);
            p.rubricByPrompt.push_back(rubric);
            p.goldByPrompt.push_back(gold);
            p.random += mean / double(items.size());
            ++p.prompts;
        }
        if (p.prompts == 0)
            break;
        p.byRubric /= double(p.prompts);
        p.byGold /= double(p.prompts);
        p.random /= double(p.prompts);
        out.push_back(p);
    }
    return out;
}

} // namespace rs::analytics
