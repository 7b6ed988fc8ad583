#include "costpreview.h"

#include "llmcache.h"
#include "store/projectstore.h"

#include <cmath>
#include <unordered_set>

namespace rs::llm {

Expected<CostPreview> previewCost(const ProviderConfig &provider,
                                  const std::vector<LlmRequest> &requests, const PriceTable &prices,
                                  store::ProjectStore *store, bool bypassCache)
{
    CostPreview p;
    p.calls = qint64(requests.size());
    p.priced = prices.has(provider.model);

    std::unordered_set<std::string> cachedKeys;
    if (store && !bypassCache) {
        auto db = store::Database::open(store->path(), store::Database::Mode::ReadOnly);
        if (!db)
            return db.error();
        auto st = db->prepare("SELECT 1 FROM llm_cache WHERE key = ?1");
        if (!st)
            return st.error();
        for (const auto &r : requests) {
            const std::string key = LlmCache::keyFor(provider, r);
            st->reset();
            st->bind(1, std::string_view(key));
            auto row = st->step();
            if (!row)
                return row.error();
            if (row.value())
                cachedKeys.insert(key);
        }
    }
    for (const auto &r : requests) {
        if (!cachedKeys.empty() && cachedKeys.count(LlmCache::keyFor(provider, r))) {
            ++p.cached;
            continue;
        }
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
