#include "costpreview.h"

#include "llmcache.h"
#include "store/projectstore.h"

#include <cmath>
#include <vector>

namespace rs::llm {

Expected<CostPreview> previewCost(const ProviderConfig &provider,
                                  const std::vector<LlmRequest> &requests, const PriceTable &prices,
                                  store::ProjectStore *store, bool bypassCache,
                                  std::vector<LlmCache::Keyed> *keyed) {
    CostPreview p;
    p.calls = qint64(requests.size());
    p.priced = prices.has(provider.model);

    // One cache key per request (building it is most of a preview's cost), looked up once.
    std::vector<bool> cached(requests.size(), false);
    if (store && !bypassCache) {
        auto db = store::Database::open(store->path(), store::Database::Mode::ReadOnly);
        if (!db)
            return db.error();
        auto st = db->prepare("SELECT 1 FROM llm_cache WHERE key = ?1");
        if (!st)
            return st.error();
        if (keyed) {
            keyed->clear();
            keyed->reserve(requests.size());
        }
        for (std::size_t i = 0; i < requests.size(); ++i) {
            LlmCache::Keyed k = LlmCache::keyed(provider, requests[i]);
            st->reset();
            st->bind(1, std::string_view(k.key));
            auto row = st->step();
            if (!row)
                return row.error();
            cached[i] = row.value();
            if (keyed)
                keyed->push_back(std::move(k));
        }
    }
    for (std::size_t i = 0; i < requests.size(); ++i) {
        if (cached[i]) {
            ++p.cached;
            continue;
        }
        const LlmRequest &r = requests[i];
        qsizetype chars = r.system.size();
        for (const auto &m : r.messages)
            chars += m.content.size();
        p.tokensIn += qint64(std::ceil(double(chars) / 4.0));
        p.tokensOut += r.expectedOutputTokens > 0 ? r.expectedOutputTokens : r.maxTokens / 4;
    }
    p.toSend = p.calls - p.cached;
    p.costUsd = prices.cost(provider.model, p.tokensIn, p.tokensOut);
    return p;
}

} // namespace rs::llm
