#pragma once

#include "metricdata.h"

#include <QString>

#include <optional>
#include <vector>

namespace rs::analytics {

struct CriterionKappa final {
    qint64 promptId = 0;
    QString stableId;
    QString text;
    std::optional<double> kappa; ///< judge majority vs human override
    qint64 n = 0;
};

struct JudgeReliability final {
    std::optional<Estimate> flipRate;      ///< cells graded twice or more whose gradings disagree
    std::optional<Estimate> overrideKappa; ///< Cohen's kappa, judge vs human, all overrides
    std::vector<CriterionKappa> perCriterion;
    qint64 compareRunId = 0;
    std::optional<Estimate> runAgreement; ///< share of cells both runs judged alike
    std::optional<Estimate> runKappa;
};

/// Flip rate and judge-vs-human kappa from `data`; agreement with `other` (the verdicts of
/// a second run, loadRunVerdicts) when given.
JudgeReliability judgeReliability(const MetricData &data,
                                  const std::vector<std::vector<Verdict>> *other = nullptr,
                                  qint64 otherRunId = 0);

} // namespace rs::analytics
