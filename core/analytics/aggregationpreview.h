#pragma once

#include "common/error.h"
#include "judge/scoring.h"
#include "metricoptions.h"
#include "projectmetrics.h"

#include <QString>

#include <optional>
#include <vector>

namespace rs::store {
class Database;
}
namespace rs::judge {
class VerdictTally;
}

namespace rs::analytics {

/// One aggregation to try on the run's verdicts.
struct AggregationCandidate final {
    QString name;                               ///< "current", or the spec's summary
    std::optional<judge::AggregationSpec> spec; ///< nullopt: each prompt's stored aggregation
};

/// The candidate that keeps each prompt's stored aggregation.
AggregationCandidate currentAggregation();
/// A candidate named by aggregationSummary ("weighted_sum · power 2").
AggregationCandidate aggregationCandidate(const judge::AggregationSpec &spec);

/// The default comparison for a tally's rubrics, after "current": the plain weighted sum and
/// points, then the most common stored aggregation with its shaping replaced by power 2 and
/// exponential 3 (tail-widening) and power 0.5 (saturation), and, when some criterion is a
/// veto, the same with veto cap 1 (the veto no longer binds), to show what the veto does.
/// Candidates equal to an earlier one are left out.
std::vector<AggregationCandidate> defaultAggregationCandidates(const judge::VerdictTally &tally);

/// One response under one candidate.
struct ResponseOutcome final {
    qint64 responseId = 0;
    QString generator;
    QString tier;
    bool topTier = false; ///< tier is the options' tier A
    double reward = 0;
    double softReward = 0; ///< the same aggregation over P(yes)
    double advantage = 0;  ///< groupAdvantages over the prompt's scored responses
};

/// What one candidate does, project-wide, with the same metric functions `metrics` uses.
struct CandidatePreview final {
    AggregationCandidate candidate;
    std::optional<Estimate> auc;        ///< top-tier AUC, within-prompt pairs
    std::optional<Estimate> topTieRate; ///< share of prompts whose two best tie on reward
    std::optional<Estimate> tailAccuracy;
    std::optional<Estimate> tailHigh;
    qint64 groups = 0;           ///< prompts with at least two scored responses
    qint64 zeroSpreadGroups = 0; ///< of those, all rewards equal: no GRPO learning signal
    std::optional<Estimate> zeroSpreadShare;
    std::optional<Estimate> advantageGap; ///< mean A of the top tier minus the rest's
    std::vector<ResponseOutcome> prompt;  ///< the asked prompt's scored responses, by id
};

struct AggregationPreview final {
    qint64 runId = 0;
    qint64 promptId = 0; ///< 0: no prompt asked for
    QString tierA;       ///< the top tier, against tierB for the AUC
    QString tierB;
    qint64 scoredResponses = 0;
    qint64 goldPairs = 0;
    /// The stored aggregation when every rubric has the same one; empty when they differ.
    QString currentSummary;
    std::vector<CandidatePreview> candidates; ///< in the order asked, "current" first
};

struct AggregationPreviewOptions final {
    MetricOptions metrics; ///< run, missing policy, tiers, tie policy, regions
    qint64 promptId = 0;   ///< also list this prompt's responses under each candidate
    /// What to compare; empty: currentAggregation() and defaultAggregationCandidates(). A list
    /// without "current" gets it first, so every preview is side by side with it.
    std::vector<AggregationCandidate> candidates;
};

/// Recomputes every scored response's reward (and soft reward) under each candidate from the
/// run's verdicts, weights and veto flags through judge::reward, then the top-tier AUC, the
/// tie rate at the top, tail accuracy and the GRPO advantages over those rewards. Reads on the
/// caller's read-only connection and is long on big projects: call it off the GUI thread.
/// `progress` is called after loading and after each candidate; false cancels.
Expected<AggregationPreview> previewAggregations(store::Database &db,
                                                 const AggregationPreviewOptions &options,
                                                 const MetricsProgressFn &progress = {});

/// Only one prompt's responses under each candidate (same order as `candidates`): reads that
/// prompt alone, so a view can follow the selected prompt cheaply.
Expected<std::vector<std::vector<ResponseOutcome>>>
previewPromptAggregations(store::Database &db, qint64 promptId,
                          const std::vector<AggregationCandidate> &candidates,
                          const MetricOptions &options);

} // namespace rs::analytics
