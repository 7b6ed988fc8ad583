#include "llmcache.h"

#include "common/sha256.h"
#include "store/projectstore.h"
#include "wireprotocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <future>

namespace rs::llm {

QString CachedAnswer::metaJson() const {
    if (!refused && tokensReasoning == 0 && firstTokenLogprobs.isEmpty())
        return {};
    QJsonObject o;
    if (refused)
        o.insert(QStringLiteral("refused"), true);
    if (tokensReasoning)
        o.insert(QStringLiteral("reasoning_tokens"), tokensReasoning);
    if (!firstTokenLogprobs.isEmpty()) {
        QJsonArray alts;
        for (const auto &t : firstTokenLogprobs)
            alts.push_back(QJsonArray{t.token, t.logprob});
        o.insert(QStringLiteral("top_logprobs"), alts);
    }
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

void CachedAnswer::readMeta(const QString &json) {
    if (json.isEmpty())
        return;
    const QJsonObject o = QJsonDocument::fromJson(json.toUtf8()).object();
    refused = o.value(QStringLiteral("refused")).toBool();
    tokensReasoning = o.value(QStringLiteral("reasoning_tokens")).toInteger();
    for (const auto &alt : o.value(QStringLiteral("top_logprobs")).toArray()) {
        const QJsonArray pair = alt.toArray();
        firstTokenLogprobs.push_back({pair.at(0).toString(), pair.at(1).toDouble()});
    }
}

LlmCache::Keyed LlmCache::keyed(const ProviderConfig &provider, const LlmRequest &request) {
    Keyed k;
    k.canonical = wire::canonicalBody(provider, request, &k.body);
    k.key = sha256Hex(k.canonical);
    return k;
}

std::string LlmCache::keyFor(const ProviderConfig &provider, const LlmRequest &request)
{
    return keyed(provider, request).key;
}

Expected<std::optional<CachedAnswer>> LlmCache::lookup(const std::string &key) {
    // Kept only once both open and prepare succeeded, so a failure is tried again next time.
    if (!m_lookup) {
        auto db = store::Database::open(m_store.path(), store::Database::Mode::ReadOnly);
        if (!db)
            return db.error();
        auto st = db->prepare(
            "SELECT response, tokens_in, tokens_out, meta FROM llm_cache WHERE key = ?1");
        if (!st)
            return st.error();
        m_reader.emplace(std::move(db.value()));
        m_lookup.emplace(std::move(st.value()));
    }
    // Answers still waiting to be written count too: a job may repeat a request.
    for (auto it = m_pendingCache.rbegin(); it != m_pendingCache.rend(); ++it)
        if (it->key == key)
            return std::optional<CachedAnswer>(it->answer);
    m_lookup->reset();
    m_lookup->bind(1, std::string_view(key));
    auto row = m_lookup->step();
    if (!row)
        return row.error();
    if (!*row)
        return std::optional<CachedAnswer>();
    CachedAnswer answer{m_lookup->columnText(0), m_lookup->columnInt(1), m_lookup->columnInt(2)};
    answer.readMeta(m_lookup->columnText(3));
    return std::optional<CachedAnswer>(std::move(answer));
}

void LlmCache::put(Keyed request, const ProviderConfig &provider, const CachedAnswer &answer) {
    m_pendingCache.push_back(CacheRow{std::move(request.key), provider.kindName(), provider.model,
                                      std::move(request.canonical), answer});
}

void LlmCache::record(const LedgerEntry &entry) { m_pendingLedger.push_back(entry); }

void LlmCache::flush(bool wait) {
    if (!wait) {
        flush(std::function<void()>());
        return;
    }
    std::promise<void> stored;
    auto done = stored.get_future();
    flush([&stored] { stored.set_value(); });
    done.wait();
}

void LlmCache::flush(std::function<void()> committed) {
    // With nothing buffered, a caller who waits still goes through the writer: rows an earlier
    // flush handed over may not be committed yet, and the writer commits in order.
    if (m_pendingCache.empty() && m_pendingLedger.empty() && !committed)
        return;
    auto cache = std::make_shared<std::vector<CacheRow>>(std::move(m_pendingCache));
    auto ledger = std::make_shared<std::vector<LedgerEntry>>(std::move(m_pendingLedger));
    m_pendingCache.clear();
    m_pendingLedger.clear();
    auto job = [cache, ledger](store::Database &db) -> Expected<void> {
        auto c = db.prepare(
            "INSERT OR REPLACE INTO llm_cache(key, provider_kind, model, request,"
            " response, tokens_in, tokens_out, meta) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
        if (!c)
            return c.error();
        for (const CacheRow &r : *cache) {
            c->reset();
            c->bind(1, std::string_view(r.key));
            c->bind(2, r.kind);
            c->bind(3, r.model);
            c->bind(4, std::string_view(r.request));
            c->bind(5, r.answer.text);
            c->bind(6, std::int64_t(r.answer.tokensIn));
            c->bind(7, std::int64_t(r.answer.tokensOut));
            if (const QString meta = r.answer.metaJson(); meta.isEmpty())
                c->bindNull(8);
            else
                c->bind(8, meta);
            if (auto res = c->run(); !res)
                return res;
        }
        auto l = db.prepare("INSERT INTO ledger(job_kind, job_id, provider, model, tokens_in,"
                            " tokens_out, cost_usd, cached, tokens_cached_in, tokens_reasoning)"
                            " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
        if (!l)
            return l.error();
        for (const LedgerEntry &e : *ledger) {
            l->reset();
            l->bind(1, e.jobKind);
            l->bind(2, std::int64_t(e.jobId));
            l->bind(3, e.provider);
            l->bind(4, e.model);
            l->bind(5, std::int64_t(e.tokensIn));
            l->bind(6, std::int64_t(e.tokensOut));
            l->bind(7, e.costUsd);
            l->bind(8, std::int64_t(e.cached));
            l->bind(9, std::int64_t(e.tokensCachedIn));
            l->bind(10, std::int64_t(e.tokensReasoning));
            if (auto res = l->run(); !res)
                return res;
        }
        return {};
    };
    // A failed write is the writer's to log; the answers are still delivered, only not cached.
    if (committed)
        m_store.writer().post(std::move(job), [committed = std::move(committed)](
                                                  const Expected<void> &) { committed(); });
    else
        m_store.writer().post(std::move(job));
}

} // namespace rs::llm
