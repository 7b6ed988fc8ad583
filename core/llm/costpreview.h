#pragma once

#include "common/error.h"
#include "llmcache.h"
#include "llmrequest.h"
#include "pricetable.h"
#include "providerconfig.h"

#include <vector>

namespace rs::store {
class ProjectStore;
}

namespace rs::llm {

/// What a job will cost before it starts, shown to the user for confirmation.
struct CostPreview final {
    qint64 calls = 0;        ///< requests in the job
    qint64 cached = 0;       ///< answered from the project's cache, free
    qint64 toSend = 0;       ///< calls - cached (all of them with bypassCache)
    qint64 tokensIn = 0;     ///< estimated input tokens of the calls to send
    qint64 tokensOut = 0;    ///< estimated output tokens of the calls to send
    double costUsd = 0;      ///< from the price table; 0 when the model is unpriced
    bool priced = false;     ///< false: the model has no price, the cost is unknown
};

/// Estimates a job: input tokens as characters / 4 (close enough for English prose and
/// JSON; providers' tokenisers differ anyway), output tokens as each request's
/// expectedOutputTokens, or a quarter of maxTokens when the caller has no better guess.
/// `keyed`, when given and the cache is looked up, receives each request's key and canonical
/// body: a caller that then sends these very requests hands them to LlmScheduler::submit.
Expected<CostPreview> previewCost(const ProviderConfig &provider,
                                  const std::vector<LlmRequest> &requests, const PriceTable &prices,
                                  store::ProjectStore *store, bool bypassCache,
                                  std::vector<LlmCache::Keyed> *keyed = nullptr);

} // namespace rs::llm
