#include "reliability.h"

#include "stats.h"

#include <map>

namespace rs::analytics {

JudgeReliability judgeReliability(const MetricData &data,
                                  const std::vector<std::vector<Verdict>> *other,
                                  qint64 otherRunId) {
    JudgeReliability out;
    if (data.repeatedCells > 0)
        out.flipRate =
            Estimate{double(data.flippedCells) / double(data.repeatedCells), data.repeatedCells};

    std::vector<bool> human, judge;
    std::map<int, std::pair<std::vector<bool>, std::vector<bool>>> byCriterion;
    for (const MetricData::OverridePair &o : data.overrides) {
        human.push_back(o.human);
        judge.push_back(o.judge);
        auto &c = byCriterion[o.criterion];
        c.first.push_back(o.human);
        c.second.push_back(o.judge);
    }
    if (auto k = stats::cohenKappa(judge, human))
        out.overrideKappa = Estimate{*k, qint64(human.size())};
    for (const auto &[index, pair] : byCriterion) {
        const CriterionFacts &c = data.criteria[size_t(index)];
        out.perCriterion.push_back({c.promptId, c.stableId, c.text,
                                    stats::cohenKappa(pair.second, pair.first),
                                    qint64(pair.first.size())});
    }

    if (other && other->size() == data.judgeVerdicts.size()) {
        out.compareRunId = otherRunId;
        std::vector<bool> mine, theirs;
        for (size_t i = 0; i < data.judgeVerdicts.size(); ++i) {
            const auto &a = data.judgeVerdicts[i];
            const auto &b = (*other)[i];
            for (size_t k = 0; k < a.size() && k < b.size(); ++k) {
                if (a[k] == Verdict::Missing || b[k] == Verdict::Missing)
                    continue;
                mine.push_back(a[k] == Verdict::Yes);
                theirs.push_back(b[k] == Verdict::Yes);
            }
        }
        if (!mine.empty()) {
            qint64 agree = 0;
            for (size_t i = 0; i < mine.size(); ++i)
                agree += mine[i] == theirs[i];
            out.runAgreement = Estimate{double(agree) / double(mine.size()), qint64(mine.size())};
            if (auto k = stats::cohenKappa(mine, theirs))
                out.runKappa = Estimate{*k, qint64(mine.size())};
        }
    }
    return out;
}

} // namespace rs::analytics
