#include "promptcache.h"

#include "sampler.h"

#include <algorithm>

namespace rs::llmserver {

std::uint64_t PromptCache::prefixKey(std::uint64_t modelKey, QStringView prefix) {
    return Sampler::mix(modelKey, Sampler::hash(prefix));
}

PromptCache::Hit PromptCache::automatic(const QString &model, const QString &text) {
    const std::uint64_t modelKey = Sampler::hash(model);
    qsizetype cachedChars = 0;
    for (qsizetype end = kBlockChars; end <= text.size(); end += kBlockChars) {
        const std::uint64_t key = prefixKey(modelKey, QStringView(text).first(end));
        // Every block is remembered, so a later prompt sharing a longer prefix hits further.
        if (m_seen.contains(key))
            cachedChars = end;
        else
            m_seen.insert(key);
    }
    if (cachedChars < kMinCachedChars)
        return {};
    return {qint64(cachedChars / 4), 0};
}

PromptCache::Hit PromptCache::marked(const QString &model, const QString &text,
                                     QList<qsizetype> marks) {
    std::sort(marks.begin(), marks.end());
    marks.erase(std::unique(marks.begin(), marks.end()), marks.end());
    const std::uint64_t modelKey = Sampler::hash(model);
    qsizetype readChars = 0;
    qsizetype lastChars = 0;
    for (const qsizetype mark : std::as_const(marks)) {
        if (mark < kMinCachedChars || mark > text.size())
            continue; // too short to cache: silently not cached, as the real API does
        const std::uint64_t key = prefixKey(modelKey, QStringView(text).first(mark));
        if (m_seen.contains(key))
            readChars = mark;
        else
            m_seen.insert(key);
        lastChars = mark;
    }
    Hit hit;
    hit.readTokens = readChars / 4;
    if (lastChars > readChars)
        hit.creationTokens = (lastChars + 3) / 4 - hit.readTokens;
    return hit;
}

} // namespace rs::llmserver
