#pragma once

#include "llmrequest.h"
#include "spendingbudget.h"

#include <QString>

#include <cstdint>
#include <functional>
#include <memory>

namespace rs::llm {

struct JobOptions final {
    QString kind = QStringLiteral("chat"); ///< ledger label: judge, generate, refine, ...
    bool bypassCache = false;               ///< ask the provider even when an answer is cached
    double spendingCapUsd = 0;              ///< 0: no cap; else stop sending once spent
    /// The run's shared cap. Runners create it once (ensureBudget) so every job they submit
    /// draws on it; a job without one gets its own from spendingCapUsd.
    std::shared_ptr<SpendingBudget> budget;
    /// Answer only from the cache and send nothing: a request without a cached answer fails at
    /// once with kNotCachedError. Importing a provider batch output replays a job this way.
    bool cacheOnly = false;
};

/// Gives the options a budget for their cap, unless they have one: call it once per run, before
/// the run's first job, so chunks and rounds share one cap.
inline void ensureBudget(JobOptions &options) {
    if (!options.budget)
        options.budget = SpendingBudget::forCap(options.spendingCapUsd);
}

/// Totals when a job ends (every request answered, failed, or cancelled).
struct JobSummary final {
    qint64 total = 0;
    qint64 succeeded = 0; ///< includes cached answers
    qint64 cached = 0;
    qint64 failed = 0;
    qint64 cancelled = 0;
    qint64 notSent = 0; ///< held back by the spending cap (counted in failed too)
    qint64 refused = 0; ///< answered with a refusal (counted in succeeded)
    qint64 tokensIn = 0;
    qint64 tokensCachedIn = 0;
    qint64 tokensOut = 0;
    qint64 tokensReasoning = 0;
    double costUsd = 0;
    bool capReached = false;
};

/// The error text of a cache-only request that had no cached answer.
inline const char kNotCachedError[] = "no cached answer (cache-only job: not in the imported batch output)";

using ResultFn = std::function<void(std::uint64_t job, const LlmResult &result)>;
using DoneFn = std::function<void(std::uint64_t job, const JobSummary &summary)>;

} // namespace rs::llm
