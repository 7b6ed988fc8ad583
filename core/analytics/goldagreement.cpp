#include "goldagreement.h"

#include <unordered_map>

namespace rs::analytics {
namespace {

std::optional<bool> goldMet(Verdict v) {
    return v == Verdict::Missing ? std::nullopt : std::optional<bool>(v == Verdict::Yes);
}

} // namespace

std::vector<CriterionGoldAgreement> criterionGoldAgreement(const MetricData &data) {
    std::unordered_map<qint64, std::pair<int, int>> ranges;
    for (const auto &[promptId, range] : data.promptCriteria)
        ranges.emplace(promptId, range);
    // One row per criterion that some decided pair touches, created in first-seen order and
    // sorted to prompt and rubric order at the end.
    std::unordered_map<int, size_t> rowOf;
    std::vector<std::pair<int, CriterionGoldAgreement>> rows;
    for (const GoldPair &pair : data.gold) {
        if (pair.preference == 0.5 || pair.a < 0 || pair.b < 0)
            continue;
        const auto range = ranges.find(pair.promptId);
        if (range == ranges.end())
            continue;
        const int preferred = pair.preference > 0.5 ? pair.b : pair.a;
        const int rejected = pair.preference > 0.5 ? pair.a : pair.b;
        const auto &vp = data.verdicts[size_t(preferred)];
        const auto &vr = data.verdicts[size_t(rejected)];
        const auto [first, last] = range->second;
        for (int c = first; c < last; ++c) {
            const size_t k = size_t(c - first);
            if (k >= vp.size() || k >= vr.size())
                break;
            auto [it, added] = rowOf.emplace(c, rows.size());
            if (added) {
                const CriterionFacts &facts = data.criteria[size_t(c)];
                rows.push_back(
                    {c, CriterionGoldAgreement{facts.promptId, facts.stableId, facts.text, {}}});
            }
            rows[it->second].second.tally.add(rubric::classifyPair(goldMet(vp[k]), goldMet(vr[k])));
        }
    }
    std::sort(rows.begin(), rows.end(),
              [](const auto &x, const auto &y) { return x.first < y.first; });
    std::vector<CriterionGoldAgreement> out;
    out.reserve(rows.size());
    for (auto &row : rows)
        out.push_back(std::move(row.second));
    return out;
}

} // namespace rs::analytics
