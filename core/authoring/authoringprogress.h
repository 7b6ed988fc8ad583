#pragma once

#include <QString>

#include <atomic>
#include <functional>

namespace rs::authoring {

/// Where an authoring job (generate, refine, collect) stands; units are prompts for
/// generation, rounds for refinement, responses for collection.
struct AuthoringProgress final {
    QString stage;     ///< "propose", "repair", "judge", "rewrite", "sample", ...
    qint64 done = 0;   ///< units finished
    qint64 total = 0;  ///< units planned
    qint64 calls = 0;  ///< LLM calls answered so far (cached ones included)
    qint64 failedCalls = 0;
    qint64 cachedCalls = 0;
    qint64 tokens = 0;
    double costUsd = 0;
};

/// Called about ten times a second from the thread running the job; false cancels it.
using AuthoringProgressFn = std::function<bool(const AuthoringProgress &)>;

/// How many failures a job's summary lists word for word (the rest are only counted).
inline constexpr int kMaxFailuresListed = 20;

/// Pause switch shared with the caller: while set, unsent requests are held back.
using PauseFlag = std::atomic<bool>;

} // namespace rs::authoring
