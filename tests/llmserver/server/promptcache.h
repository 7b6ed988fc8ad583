#pragma once

#include <QList>
#include <QSet>
#include <QString>

#include <cstdint>

namespace rs::llmserver {

/// A provider-side prompt prefix cache, per model, in the two styles real APIs use. Prompts are
/// compared as cacheText() (system prompt, then the messages, concatenated); tokens are
/// chars / 4 as everywhere in this server.
class PromptCache final {
public:
    static constexpr qsizetype kBlockChars = 512;      // 128 tokens, OpenAI's cache step
    static constexpr qsizetype kMinCachedChars = 1024; // shorter prefixes are never cached

    struct Hit {
        qint64 readTokens = 0;
        qint64 creationTokens = 0; // Anthropic only: the part written to the cache now
    };

    /// OpenAI, vLLM, llama-server: automatic. The cached part is the longest run of leading
    /// 512-char blocks that an earlier request to the same model sent (at least 1,024 chars).
    Hit automatic(const QString &model, const QString &text);
    /// Anthropic: only prefixes ending at a cache_control mark (at least 1,024 chars) are
    /// cached. A hit reads the longest marked prefix seen before; the rest up to the last mark
    /// is written.
    Hit marked(const QString &model, const QString &text, QList<qsizetype> marks);

private:
    static std::uint64_t prefixKey(std::uint64_t modelKey, QStringView prefix);

    QSet<std::uint64_t> m_seen;
};

} // namespace rs::llmserver
