#include "styleconfound.h"

#include "stats.h"

#include <map>

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

    struct Columns {
        std::vector<double> reward, length, bullets, headers;
    };
    std::map<qint64, Columns> byPrompt;
    for (const ResponseFacts &f : data.responses) {
        if (!f.scored)
            continue;
        Columns &c = byPrompt[f.promptId];
        c.reward.push_back(f.reward);
        c.length.push_back(double(f.length));
        c.bullets.push_back(f.bullets);
        c.headers.push_back(f.headers);
    }
    for (const auto &[prompt, c] : byPrompt) {
        if (const auto r = stats::spearman(c.reward, c.length))
            out.lengthWithinByPrompt.push_back({prompt, r->rho});
        if (const auto r = stats::spearman(c.reward, c.bullets))
            out.bulletsWithinByPrompt.push_back({prompt, r->rho});
        if (const auto r = stats::spearman(c.reward, c.headers))
            out.headersWithinByPrompt.push_back({prompt, r->rho});
    }
    const auto mean = [](const std::vector<std::pair<qint64, double>> &v) -> std::optional<Estimate> {
        if (v.empty())
            return std::nullopt;
        double sum = 0;
        for (const auto &[prompt, rho] : v)
            sum += rho;
        return Estimate{sum / double(v.size()), qint64(v.size())};
    };
    out.rewardLengthWithin = mean(out.lengthWithinByPrompt);
    out.rewardBulletsWithin = mean(out.bulletsWithinByPrompt);
    out.rewardHeadersWithin = mean(out.headersWithinByPrompt);

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
