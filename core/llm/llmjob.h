#pragma once

#include "llmrequest.h"

#include <QString>

#include <cstdint>
#include <functional>

namespace rs::llm {

struct JobOptions final {
    QString kind = QStringLiteral("chat"); ///< ledger label: judge, generate, refine, ...
    bool bypassCache = false;               ///< ask the provider even when an answer is cached
    double spendingCapUsd = 0;              ///< 0: no cap; else stop sending once spent
    /// Answer only from the cache and send nothing: a request without a cached answer fails at
    /// once with kNotCachedError. Importing a provider batch output replays a job this way.
    bool cacheOnly = false;
};

/// Totals when a job ends (every request answered, failed, or cancelled).
struct JobSummary final {
    qint64 total = 0;
    qint64 succeeded = 0; ///< includes cached answers
    qint64 cached = 0;
    qint64 failed = 0;
    qint64 cancelled = 0;
    qint64 notSent = 0; ///< held back by the spending cap (counted in failed too)
    qint64 tokensIn = 0;
    qint64 tokensOut = 0;
    double costUsd = 0;
    bool capReached = false;
};

/// The error text of a cache-only request that had no cached answer.
inline const char kNotCachedError[] = "no cached answer (cache-only job: not in the imported batch output)";

using ResultFn = std::function<void(std::uint64_t job, const LlmResult &result)>;
using DoneFn = std::function<void(std::uint64_t job, const JobSummary &summary)>;

} // namespace rs::llm
