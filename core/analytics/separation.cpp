#include "separation.h"

#include "rubric/deadrule.h"
#include "stats.h"

#include <QHash>

#include <algorithm>
#include <map>

namespace rs::analytics {
namespace {

// Responses grouped by prompt (indices into MetricData::responses), scored ones only.
std::map<qint64, std::vector<int>> scoredByPrompt(const MetricData &data) {
    std::map<qint64, std::vector<int>> out;
    for (size_t i = 0; i < data.responses.size(); ++i)
        if (data.responses[i].scored)
            out[data.responses[i].promptId].push_back(int(i));
    return out;
}

} // namespace

TopTierSeparation topTierSeparation(const MetricData &data, const MetricOptions &options) {
    TopTierSeparation out;
    const int k = std::max(2, options.topK);
    QHash<qint64, int> criteriaFirst;
    for (const auto &[prompt, range] : data.promptCriteria)
        criteriaFirst.insert(prompt, range.first);

    double uSum = 0; // Σ U over prompts = AUC·pairs, within-prompt pairs only
    qint64 pairs = 0;
    std::vector<double> pooledA, pooledB;
    qint64 ties = 0, groups = 0;
    double spreadSum = 0;
    for (auto &[prompt, members] : scoredByPrompt(data)) {
        std::vector<double> a, b;
        for (int i : members) {
            const ResponseFacts &f = data.responses[size_t(i)];
            if (f.tier.compare(options.tierA, Qt::CaseInsensitive) == 0)
                a.push_back(f.reward);
            else if (f.tier.compare(options.tierB, Qt::CaseInsensitive) == 0)
                b.push_back(f.reward);
        }
        if (auto u = stats::auc(a, b)) {
            uSum += *u * double(a.size() * b.size());
            pairs += qint64(a.size() * b.size());
            out.promptAuc.push_back({prompt, *u * double(a.size() * b.size()), qint64(a.size() * b.size())});
        }
        pooledA.insert(pooledA.end(), a.begin(), a.end());
        pooledB.insert(pooledB.end(), b.begin(), b.end());

        if (members.size() < 2)
            continue;
        std::stable_sort(members.begin(), members.end(), [&](int x, int y) {
            return data.responses[size_t(x)].reward > data.responses[size_t(y)].reward;
        });
        TopKGroup g;
        g.promptId = prompt;
        const size_t top = std::min(members.size(), size_t(k));
        for (size_t j = 0; j < top; ++j) {
            g.responseIds.push_back(data.responses[size_t(members[j])].responseId);
            g.rewards.push_back(data.responses[size_t(members[j])].reward);
        }
        g.spread = g.rewards.front() - g.rewards.back();
        g.tiedAtTop = g.rewards[0] == g.rewards[1];
        ++groups;
        ties += g.tiedAtTop;
        spreadSum += g.spread;

        // Dead criteria: no variation among the top-k, so they cannot separate the best.
        const auto first = criteriaFirst.constFind(prompt);
        if (first != criteriaFirst.cend()) {
            const size_t nCrit = data.verdicts[size_t(members[0])].size();
            for (size_t c = 0; c < nCrit; ++c) {
                int yes = 0, no = 0;
                for (size_t j = 0; j < top; ++j) {
                    const Verdict v = data.verdicts[size_t(members[j])][c];
                    yes += v == Verdict::Yes;
                    no += v == Verdict::No;
                }
                if (yes + no < rubric::kMinJudgedForDead)
                    continue;
                ++out.criteriaExamined;
                const rubric::DeadWay way = rubric::deadWay(yes, yes + no);
                if (way != rubric::DeadWay::Alive) {
                    const CriterionFacts &cf = data.criteria[size_t(*first) + c];
                    out.dead.push_back({prompt, cf.stableId, cf.text, way == rubric::DeadWay::AllPass});
                }
            }
        }
        out.groups.push_back(std::move(g));
    }
    out.deadCriteria = qint64(out.dead.size());
    if (pairs > 0)
        out.auc = Estimate{uSum / double(pairs), pairs};
    if (auto u = stats::auc(pooledA, pooledB))
        out.pooledAuc = Estimate{*u, qint64(pooledA.size() * pooledB.size())};
    if (groups > 0) {
        out.tieRate = Estimate{double(ties) / double(groups), groups};
        out.meanSpread = Estimate{spreadSum / double(groups), groups};
    }
    return out;
}

std::vector<CriterionDiscrimination> criterionDiscrimination(const MetricData &data,
                                                             const MetricOptions &options) {
    std::vector<CriterionDiscrimination> out;
    QHash<qint64, int> criteriaFirst;
    for (const auto &[prompt, range] : data.promptCriteria)
        criteriaFirst.insert(prompt, range.first);
    for (const auto &[prompt, members] : scoredByPrompt(data)) {
        const auto first = criteriaFirst.constFind(prompt);
        if (first == criteriaFirst.cend())
            continue;
        const size_t nCrit = data.verdicts[size_t(members[0])].size();
        for (size_t c = 0; c < nCrit; ++c) {
            std::map<QString, std::pair<qint64, qint64>> byTier; // yes, judged
            for (int i : members) {
                const Verdict v = data.verdicts[size_t(i)][c];
                if (v == Verdict::Missing)
                    continue;
                auto &t = byTier[data.responses[size_t(i)].tier];
                t.first += v == Verdict::Yes;
                ++t.second;
            }
            const CriterionFacts &cf = data.criteria[size_t(*first) + c];
            CriterionDiscrimination d{prompt, cf.stableId, cf.text, {}, std::nullopt};
            std::optional<double> rateA, rateB;
            for (const auto &[tier, t] : byTier) {
                const double rate = double(t.first) / double(t.second);
                d.tiers.push_back({tier, rate, t.second});
                if (tier.compare(options.tierA, Qt::CaseInsensitive) == 0)
                    rateA = rate;
                if (tier.compare(options.tierB, Qt::CaseInsensitive) == 0)
                    rateB = rate;
            }
            if (rateA && rateB)
                d.gap = *rateA - *rateB;
            out.push_back(std::move(d));
        }
    }
    return out;
}

std::optional<Estimate> meanDiscriminationGap(const std::vector<CriterionDiscrimination> &rows) {
    double sum = 0;
    qint64 n = 0;
    for (const auto &r : rows)
        if (r.gap) {
            sum += *r.gap;
            ++n;
        }
    if (n == 0)
        return std::nullopt;
    return Estimate{sum / double(n), n};
}

} // namespace rs::analytics
