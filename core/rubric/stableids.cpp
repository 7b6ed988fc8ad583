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
        proposed[c.newIndex].stableId = previous[c.oldIndex].stableId;
    }
    return proposed;
}

} // namespace rs::rubric
