#include "styleconfound.h"

#include "stats.h"

namespace rs::analytics {

StyleConfound styleConfound(const MetricData &data, const MetricOptions &) {
    StyleConfound out;
    std::vector<double> reward, length, bullets, headers;
    for (const ResponseFacts &f : data.responses) {
        if (!f.scored)
            continue;
        reward.push_back(f.reward);
        length.push_back(double(f.length));
        bullets.push_back(f.bullets);
        headers.push_back(f.headers);
        out.rewardPoints.push_back({f.promptId, f.responseId, 0, double(f.length), f.reward});
    }
    out.rewardLength = stats::spearman(reward, length);
    out.rewardBullets = stats::spearman(reward, bullets);
    out.rewardHeaders = stats::spearman(reward, headers);

    // Gold side: does the gold judge prefer the longer (more formatted) answer of a pair?
    std::vector<double> pref, dLength, dBullets, dHeaders;
    for (const GoldPair &g : data.gold) {
        const ResponseFacts &a = data.responses[size_t(g.a)];
        const ResponseFacts &b = data.responses[size_t(g.b)];
        pref.push_back(g.preference);
        dLength.push_back(double(b.length - a.length));
        dBullets.push_back(b.bullets - a.bullets);
        dHeaders.push_back(b.headers - a.headers);
        out.goldPoints.push_back(
            {g.promptId, b.responseId, a.responseId, dLength.back(), g.preference});
    }
    out.goldLength = stats::spearman(pref, dLength);
    out.goldBullets = stats::spearman(pref, dBullets);
    out.goldHeaders = stats::spearman(pref, dHeaders);
    return out;
}

} // namespace rs::analytics
