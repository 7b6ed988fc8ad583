#include "scorereader.h"

#include "verdicttally.h"

#include <algorithm>

namespace rs::judge {

Expected<std::vector<ResponseScore>> computeScores(store::Database &db, const ScoreOptions &options,
                                                   qint64 *runUsed)
{
    TallyOptions to;
    to.runId = options.runId;
    to.promptId = options.promptId;
    auto tally = VerdictTally::load(db, to);
    if (!tally)
        return tally.error();
    const VerdictTally &t = tally.value();
    if (runUsed)
        *runUsed = t.run().id;

    std::vector<ResponseScore> out;
    out.reserve(t.responses().size());
    for (const TallyResponse &r : t.responses()) {
        const TallyPrompt *p = t.promptOf(r);
        ResponseScore s;
        s.responseId = r.responseId;
        s.promptId = r.promptId;
        s.generator = r.generator;
        s.tier = r.tier;
        s.criteria = p->count;
        for (int k = 0; k < p->count; ++k) {
            const std::size_t cell = r.firstCell + std::size_t(k);
            if (t.criterion(r, k).guidance) {
                --s.criteria; // judged within the holistic score, counted below
                continue;
            }
            if (t.override(cell))
                ++s.overridden;
            const std::optional<bool> met = t.verdict(cell);
            if (met)
                ++s.judged;
            else if (!t.override(cell) && t.counts(cell).error > 0)
                ++s.failed;
            else if (!t.override(cell) && t.counts(cell).refused > 0)
                ++s.refused;
        }
        if (p->implicit()) {
            // The holistic score counts as one more decision: judged when some grading gave
            // a score, failed when none did and a call failed.
            s.implicit = true;
            ++s.criteria;
            s.holisticScore = t.holisticScore(r);
            const auto &votes = t.holistic(r);
            if (s.holisticScore)
                ++s.judged;
            else if (std::any_of(votes.begin(), votes.end(),
                                 [](const HolisticVote &v) { return v.score == 0 && !v.refused; }))
                ++s.failed;
            else if (!votes.empty())
                ++s.refused;
        }
        s.reward = t.reward(r, options.missing);
        s.rewardSoft = t.softReward(r, options.missing);
        out.push_back(std::move(s));
    }
    return out;
}

} // namespace rs::judge
