#pragma once

#include "common/error.h"

#include <QtGlobal>

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace rs::store {
class Database;
}

namespace rs::serve {

/// Finds the project prompt a trainer's request is about: by a key (the pack's prompt hash,
/// the project's prompt id, the prompt's external id, or its exact text), or by the prompt
/// text that a chat-templated rendering contains (the longest one, when several do).
/// Loaded once at start; lookups are thread-safe.
class PromptIndex final {
public:
    static Expected<PromptIndex> load(store::Database &db);

    /// A prompt by hash (64 hex digits, as in packs), id, external id or exact text.
    std::optional<qint64> byKey(std::string_view key) const;
    /// The prompt whose text `rendered` contains; the longest such prompt.
    std::optional<qint64> byContainedText(std::string_view rendered) const;
    /// The prompt's text, or nullptr.
    const std::string *text(qint64 promptId) const;
    std::size_t size() const { return m_texts.size(); }

    PromptIndex() = default;
    PromptIndex(PromptIndex &&other) noexcept;
    PromptIndex &operator=(PromptIndex &&other) noexcept;

private:
    static constexpr std::size_t kWindow = 16; ///< bytes of a prompt's start used as its index key

    std::unordered_map<qint64, std::string> m_texts;
    std::unordered_map<std::string, qint64> m_byText;
    std::unordered_map<std::string, qint64> m_byHash;
    std::unordered_map<std::string, qint64> m_byExternal;
    /// Prompts by their first kWindow bytes, for the containment search; shorter ones apart.
    std::unordered_map<std::string_view, std::vector<qint64>> m_byStart;
    std::vector<qint64> m_short;
    /// Rendered prompt → prompt: a GRPO group sends one prompt many times.
    mutable std::mutex m_memoMutex;
    mutable std::unordered_map<std::string, std::optional<qint64>> m_memo;
};

} // namespace rs::serve
