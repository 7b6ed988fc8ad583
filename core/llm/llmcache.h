#pragma once

#include "llmrequest.h"
#include "providerconfig.h"
#include "store/database.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace rs::store {
class ProjectStore;
}

namespace rs::llm {

struct CachedAnswer final {
    QString text;
    qint64 tokensIn = 0;
    qint64 tokensOut = 0;
    bool refused = false;
    qint64 tokensReasoning = 0;
    QList<TokenLogprob> firstTokenLogprobs;

    /// What the provider said beside the text, as stored in llm_cache.meta (empty: nothing).
    QString metaJson() const;
    void readMeta(const QString &json);
};

struct LedgerEntry final {
    QString jobKind;
    qint64 jobId = 0;
    QString provider;
    QString model;
    qint64 tokensIn = 0;
    qint64 tokensOut = 0;
    double costUsd = 0;
    bool cached = false;
    qint64 tokensCachedIn = 0;
    qint64 tokensReasoning = 0;
};

/// The project's LLM-call cache and cost ledger. Confined to one thread (the engine's worker):
/// lookups use its own read connection; new rows are buffered and handed to the project's
/// writer in batches, so a burst of answers costs one transaction, not hundreds.
class LlmCache final {
public:
    explicit LlmCache(store::ProjectStore &store) : m_store(store) {}

    /// SHA-256 of the canonical request (provider kind, base URL, model, messages,
    /// parameters, template version): equal requests share an answer, any change misses.
    static std::string keyFor(const ProviderConfig &provider, const LlmRequest &request);
    /// A request's key with the canonical body it hashes (stored with the answer).
    struct Keyed {
        std::string key;
        std::string canonical;
        /// The wire body with the kind's default capabilities, built with the key; the engine
        /// sends it as it is while nothing was learned about the model (and takes it: empty
        /// once sent, so a retry builds its own).
        std::string body;
    };
    static Keyed keyed(const ProviderConfig &provider, const LlmRequest &request);

    /// The stored answer, or none. A failed read is an error, not a miss: a miss sends the
    /// request again and pays for it.
    Expected<std::optional<CachedAnswer>> lookup(const std::string &key);
    /// Buffers an answer under its request's key; `canonicalRequest` is what the key hashes.
    void put(Keyed request, const ProviderConfig &provider, const CachedAnswer &answer);
    void record(const LedgerEntry &entry);
    /// Sends buffered rows to the writer. With wait, returns once they are committed.
    void flush(bool wait = false);
    /// Sends buffered rows to the writer; `committed` runs on the writer's thread once they
    /// and everything flushed before them are committed.
    void flush(std::function<void()> committed);

private:
    struct CacheRow {
        std::string key;
        QString kind;
        QString model;
        std::string request;
        CachedAnswer answer;
    };

    store::ProjectStore &m_store;
    std::optional<store::Database> m_reader;
    std::optional<store::Statement> m_lookup;
    std::vector<CacheRow> m_pendingCache;
    std::vector<LedgerEntry> m_pendingLedger;
};

} // namespace rs::llm
