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

    if (!data.oracle.empty()) {
        std::map<QString, std::pair<qint64, qint64>> byModel; // swapped, asked
        qint64 swapped = 0;
        for (const OracleAsk &o : data.oracle) {
            swapped += o.swapped;
            auto &m = byModel[o.model];
            m.first += o.swapped;
            ++m.second;
        }
        out.oracleSwapRate = Estimate{double(swapped) / double(data.oracle.size()),
                                      qint64(data.oracle.size()), std::nullopt};
        for (const auto &[model, counts] : byModel)
            out.oracleSwapByModel.push_back(
                {model, Estimate{double(counts.first) / double(counts.second), counts.second, std::nullopt}});
    }
    for (const MetricData::OverridePair &o : data.overrides) {
        ++out.overrides;
        out.overridesAgainstJudge += o.human != o.judge;
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
