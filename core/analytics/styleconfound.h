#pragma once

#include "metricdata.h"

#include <optional>
#include <vector>

namespace rs::analytics {

/// One point of a style scatter; ids let a chart open the response (or pair) behind it.
struct StylePoint final {
    qint64 promptId = 0;
    qint64 responseId = 0; ///< the response, or response B of a gold pair
    qint64 otherId = 0;    ///< response A of a gold pair; 0 for a reward point
    double x = 0;          ///< length (or B-A length difference), characters
    double y = 0;          ///< reward (or P(B better))
};

/// Style confound: does the reward, or the gold judge, follow length and formatting?
struct StyleConfound final {
    std::optional<Correlation> rewardLength; ///< Spearman(reward, length) over scored responses
    std::optional<Correlation> rewardBullets;
    std::optional<Correlation> rewardHeaders;
    std::optional<Correlation> goldLength; ///< Spearman(P(B better), len B - len A) over gold pairs
    std::optional<Correlation> goldBullets;
    std::optional<Correlation> goldHeaders;
    /// Within prompt: Spearman(reward, feature) among one prompt's scored responses, averaged
    /// over the prompts where it is defined (n = those prompts). Pooling mixes prompts whose
    /// answers are long with prompts whose rubrics are lenient; within a prompt it cannot.
    std::optional<Estimate> rewardLengthWithin;
    std::optional<Estimate> rewardBulletsWithin;
    std::optional<Estimate> rewardHeadersWithin;
    /// The per-prompt rhos behind them (prompt id, rho), for the bootstrap.
    std::vector<std::pair<qint64, double>> lengthWithinByPrompt;
    std::vector<std::pair<qint64, double>> bulletsWithinByPrompt;
    std::vector<std::pair<qint64, double>> headersWithinByPrompt;
    std::vector<StylePoint> rewardPoints;
    std::vector<StylePoint> goldPoints;
};

StyleConfound styleConfound(const MetricData &data, const MetricOptions &options);

} // namespace rs::analytics
