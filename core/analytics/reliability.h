#pragma once

#include "metricdata.h"

#include <QString>

#include <optional>
#include <vector>

namespace rs::analytics {

struct JudgeReliability final {
    std::optional<Estimate> flipRate;      ///< cells graded twice or more whose gradings disagree
    /// Human overrides are corrections, chosen where the judge looked wrong: a sample biased
    /// toward disagreement, so they are counted, never used for agreement (blind labels are).
    qint64 overrides = 0;
    qint64 overridesAgainstJudge = 0;
    /// Pairwise oracle asked in both orders: the share of pairs whose two orders disagreed
    /// (position bias), overall and by oracle model.
    std::optional<Estimate> oracleSwapRate;
    std::vector<std::pair<QString, Estimate>> oracleSwapByModel;
    qint64 compareRunId = 0;
    std::optional<Estimate> runAgreement; ///< share of cells both runs judged alike
    std::optional<Estimate> runKappa;
};

/// Flip rate and override counts from `data`; agreement with `other` (the verdicts of
/// a second run, loadRunVerdicts) when given.
JudgeReliability judgeReliability(const MetricData &data,
                                  const std::vector<std::vector<Verdict>> *other = nullptr,
                                  qint64 otherRunId = 0);

} // namespace rs::analytics
