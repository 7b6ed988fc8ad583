#include "stableids.h"

#include "textsimilarity.h"

#include <algorithm>
#include <cstdlib>
#include <vector>

namespace rs::rubric {

QList<CriterionDraft> assignStableIds(const QList<CriterionRecord> &previous,
                                      QList<CriterionDraft> proposed) {
    struct Candidate {
        double score;
        int distance;
        int oldIndex;
        int newIndex;
    };
    std::vector<Candidate> candidates;
    for (int n = 0; n < proposed.size(); ++n) {
        proposed[n].stableId.clear();
        for (int o = 0; o < previous.size(); ++o) {
            const double s = TextSimilarity::similarity(previous[o].text, proposed[n].text);
            if (s >= kSameCriterionSimilarity)
                candidates.push_back({s, std::abs(o - n), o, n});
        }
    }
    std::sort(candidates.begin(), candidates.end(), [](const Candidate &a, const Candidate &b) {
        if (a.score != b.score)
            return a.score > b.score;
        if (a.distance != b.distance)
            return a.distance < b.distance;
        return a.newIndex < b.newIndex;
    });
    std::vector<bool> oldUsed(size_t(previous.size()), false),
        newUsed(size_t(proposed.size()), false);
    for (const Candidate &c : candidates) {
        if (oldUsed[size_t(c.oldIndex)] || newUsed[size_t(c.newIndex)])
            continue;
        oldUsed[size_t(c.oldIndex)] = newUsed[size_t(c.newIndex)] = true;
        CriterionDraft &d = proposed[c.newIndex];
        const CriterionRecord &old = previous[c.oldIndex];
        d.stableId = old.stableId;
        // A criterion kept word for word keeps its check and veto: the proposer writes text
        // only, and dropping them would silently hand a mechanical rule back to the judge. A
        // reworded one ("60 words" → "80 words") may no longer mean what the check tests.
        if (d.checkJson.isEmpty() && !d.veto && d.text.trimmed() == old.text.trimmed()) {
            d.checkJson = old.checkJson;
            d.veto = old.veto;
        }
    }
    return proposed;
}

} // namespace rs::rubric
