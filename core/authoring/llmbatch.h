#pragma once

#include "authoringprogress.h"
#include "llm/llmjob.h"
#include "llm/providerconfig.h"

#include <vector>

namespace rs::llm {
class LlmScheduler;
}

namespace rs::authoring {

/// The answers of one batch, indexed like the requests that were sent.
struct BatchOutcome final {
    std::vector<llm::LlmResult> results; ///< results[i] answers requests[i]; unanswered: ok=false
    bool cancelled = false;
};

/// Sends `requests` through the scheduler and waits, folding calls, tokens and cost into
/// `progress` and reporting it through `report` every 100 ms; `report` returning false
/// cancels the job (in-flight answers are still collected). Blocking: a worker thread or CLI.
BatchOutcome runBatch(llm::LlmScheduler &scheduler, const llm::ProviderConfig &provider,
                      std::vector<llm::LlmRequest> requests, const llm::JobOptions &options,
                      AuthoringProgress &progress, const AuthoringProgressFn &report,
                      const PauseFlag *paused = nullptr);

} // namespace rs::authoring
