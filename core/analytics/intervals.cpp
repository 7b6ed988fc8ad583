#include "intervals.h"

#include "clusterbootstrap.h"
#include "projectmetrics.h"

#include <array>
#include <unordered_map>

namespace rs::analytics {
namespace {

// Per-cluster numerator and denominator of a ratio statistic.
struct Sums final {
    std::vector<double> num, den;
    explicit Sums(std::size_t clusters) : num(clusters, 0.0), den(clusters, 0.0) {}
    void add(int cluster, double n, double d = 1) {
        if (cluster < 0)
            return;
        num[std::size_t(cluster)] += n;
        den[std::size_t(cluster)] += d;
    }
};

} // namespace

void attachIntervals(ProjectMetrics &m, const MetricData &data, const MetricOptions &options,
                     const std::vector<std::vector<Verdict>> *other) {
    if (options.bootstrap <= 0)
        return;
    std::unordered_map<qint64, int> clusterOf;
    for (const ResponseFacts &f : data.responses)
        clusterOf.emplace(f.promptId, int(clusterOf.size()));
    const auto cluster = [&](qint64 prompt) {
        const auto it = clusterOf.find(prompt);
        return it == clusterOf.end() ? -1 : it->second;
    };
    const std::size_t P = clusterOf.size();
    ClusterBootstrap boot(int(P), options.bootstrap, options.seed);

    // Each registration returns where to put the interval once the replicates are in.
    std::vector<std::pair<int, std::optional<Interval> *>> targets;
    const auto ratio = [&](std::optional<Estimate> &e, Sums s) {
        if (e)
            targets.push_back({boot.addRatio(std::move(s.num), std::move(s.den)), &e->ci});
    };

    Sums high(P), low(P), all(P);
    for (const PairOutcome &p : m.tail.pairs) {
        const int c = cluster(p.promptId);
        all.add(c, p.credit);
        if (p.region == Region::High)
            high.add(c, p.credit);
        else if (p.region == Region::Low)
            low.add(c, p.credit);
    }
    ratio(m.tail.high, std::move(high));
    ratio(m.tail.low, std::move(low));
    ratio(m.tail.all, std::move(all));

    Sums auc(P), ties(P), spread(P), gap(P);
    for (const auto &a : m.separation.promptAuc)
        auc.add(cluster(a.promptId), a.u, double(a.pairs));
    for (const TopKGroup &g : m.separation.groups) {
        ties.add(cluster(g.promptId), g.tiedAtTop ? 1 : 0);
        spread.add(cluster(g.promptId), g.spread);
    }
    for (const CriterionDiscrimination &d : m.discrimination)
        if (d.gap)
            gap.add(cluster(d.promptId), *d.gap);
    ratio(m.separation.auc, std::move(auc));
    ratio(m.separation.tieRate, std::move(ties));
    ratio(m.separation.meanSpread, std::move(spread));
    ratio(m.discriminationGap, std::move(gap));
    if (m.separation.pooledAuc) {
        std::vector<ClusterItem> items;
        for (const ResponseFacts &f : data.responses) {
            if (!f.scored)
                continue;
            const bool a = f.tier.compare(options.tierA, Qt::CaseInsensitive) == 0;
            const bool b = f.tier.compare(options.tierB, Qt::CaseInsensitive) == 0;
            if (a || b)
                items.push_back({f.reward, a ? 1.0 : 0.0, cluster(f.promptId)});
        }
        targets.push_back({boot.addAuc(std::move(items)), &m.separation.pooledAuc->ci});
    }

    Sums flips(P);
    for (const ResponseFacts &f : data.responses)
        if (f.repeatedCells > 0)
            flips.add(cluster(f.promptId), f.flippedCells, f.repeatedCells);
    ratio(m.reliability.flipRate, std::move(flips));
    Sums swaps(P);
    for (const OracleAsk &o : data.oracle)
        swaps.add(cluster(o.promptId), o.swapped ? 1 : 0);
    ratio(m.reliability.oracleSwapRate, std::move(swaps));

    // Style: pooled rank correlations over responses (reward side) and gold pairs (gold side).
    const auto spearman = [&](std::optional<Correlation> &c, const std::vector<ClusterItem> &items) {
        if (c)
            targets.push_back({boot.addSpearman(items), &c->ci});
    };
    std::array<std::vector<ClusterItem>, 3> rewardItems, goldItems;
    for (const ResponseFacts &f : data.responses) {
        if (!f.scored)
            continue;
        const int c = cluster(f.promptId);
        rewardItems[0].push_back({f.reward, double(f.length), c});
        rewardItems[1].push_back({f.reward, double(f.bullets), c});
        rewardItems[2].push_back({f.reward, double(f.headers), c});
    }
    for (const GoldPair &g : data.gold) {
        const ResponseFacts &a = data.responses[std::size_t(g.a)];
        const ResponseFacts &b = data.responses[std::size_t(g.b)];
        const int c = cluster(g.promptId);
        goldItems[0].push_back({g.preference, double(b.length - a.length), c});
        goldItems[1].push_back({g.preference, double(b.bullets - a.bullets), c});
        goldItems[2].push_back({g.preference, double(b.headers - a.headers), c});
    }
    spearman(m.style.rewardLength, rewardItems[0]);
    spearman(m.style.rewardBullets, rewardItems[1]);
    spearman(m.style.rewardHeaders, rewardItems[2]);
    spearman(m.style.goldLength, goldItems[0]);
    spearman(m.style.goldBullets, goldItems[1]);
    spearman(m.style.goldHeaders, goldItems[2]);
    const auto within = [&](std::optional<Estimate> &e,
                            const std::vector<std::pair<qint64, double>> &byPrompt) {
        Sums s(P);
        for (const auto &[prompt, rho] : byPrompt)
            s.add(cluster(prompt), rho);
        ratio(e, std::move(s));
    };
    within(m.style.rewardLengthWithin, m.style.lengthWithinByPrompt);
    within(m.style.rewardBulletsWithin, m.style.bulletsWithinByPrompt);
    within(m.style.rewardHeadersWithin, m.style.headersWithinByPrompt);

    for (BestOfNPoint &point : m.bestOfN) {
        Sums rubric(P), gold(P);
        for (std::size_t i = 0; i < point.promptIds.size(); ++i) {
            rubric.add(cluster(point.promptIds[i]), point.rubricByPrompt[i]);
            gold.add(cluster(point.promptIds[i]), point.goldByPrompt[i]);
        }
        targets.push_back({boot.addRatio(std::move(rubric.num), std::move(rubric.den)), &point.byRubricCi});
        targets.push_back({boot.addRatio(std::move(gold.num), std::move(gold.den)), &point.byGoldCi});
    }

    // Run against run: the same replicates for both runs' verdicts, so the bootstrap is paired.
    if (other && other->size() == data.judgeVerdicts.size() &&
        (m.reliability.runAgreement || m.reliability.runKappa)) {
        Sums agree(P);
        std::vector<std::array<double, 4>> tables(P, std::array<double, 4>{});
        for (std::size_t i = 0; i < data.judgeVerdicts.size(); ++i) {
            const int c = cluster(data.responses[i].promptId);
            const auto &a = data.judgeVerdicts[i];
            const auto &b = (*other)[i];
            for (std::size_t k = 0; k < a.size() && k < b.size(); ++k) {
                if (a[k] == Verdict::Missing || b[k] == Verdict::Missing || c < 0)
                    continue;
                const bool x = a[k] == Verdict::Yes, y = b[k] == Verdict::Yes;
                agree.add(c, x == y ? 1 : 0);
                tables[std::size_t(c)][x ? (y ? 0 : 1) : (y ? 2 : 3)] += 1;
            }
        }
        ratio(m.reliability.runAgreement, std::move(agree));
        if (m.reliability.runKappa)
            targets.push_back({boot.addKappa(std::move(tables)), &m.reliability.runKappa->ci});
    }

    boot.run();
    for (const auto &[statistic, target] : targets)
        *target = boot.interval(statistic);
}

} // namespace rs::analytics
