#include "promptindex.h"

#include "pack/packcodec.h"
#include "store/database.h"

namespace rs::serve {
namespace {

constexpr std::size_t kMemoLimit = 200000;

bool isDecimal(std::string_view s) {
    if (s.empty() || s.size() > 18)
        return false;
    for (char c : s)
        if (c < '0' || c > '9')
            return false;
    return true;
}

} // namespace

PromptIndex::PromptIndex(PromptIndex &&o) noexcept
    : m_texts(std::move(o.m_texts))
    , m_byText(std::move(o.m_byText))
    , m_byHash(std::move(o.m_byHash))
    , m_byExternal(std::move(o.m_byExternal))
    , m_byStart(std::move(o.m_byStart))
    , m_short(std::move(o.m_short)) {}

PromptIndex &PromptIndex::operator=(PromptIndex &&o) noexcept {
    m_texts = std::move(o.m_texts);
    m_byText = std::move(o.m_byText);
    m_byHash = std::move(o.m_byHash);
    m_byExternal = std::move(o.m_byExternal);
    m_byStart = std::move(o.m_byStart);
    m_short = std::move(o.m_short);
    std::lock_guard lock(m_memoMutex);
    m_memo.clear();
    return *this;
}

Expected<PromptIndex> PromptIndex::load(store::Database &db) {
    PromptIndex index;
    auto st = db.prepare("SELECT id, text, external_id FROM prompts");
    if (!st)
        return st.error();
    auto read = st->forEach([&] {
        const qint64 id = st->columnInt(0);
        std::string text(st->columnUtf8(1));
        const QString qtext = QString::fromStdString(text);
        index.m_byHash.emplace(pack::codec::promptHash(qtext).toStdString(), id);
        if (!st->columnIsNull(2))
            index.m_byExternal.emplace(std::string(st->columnUtf8(2)), id);
        index.m_byText.emplace(text, id);
        index.m_texts.emplace(id, std::move(text));
    });
    if (!read)
        return read.error();
    // Keys point into m_texts' nodes, which never move once the map is built.
    for (const auto &[id, text] : index.m_texts) {
        if (text.size() >= kWindow)
            index.m_byStart[std::string_view(text).substr(0, kWindow)].push_back(id);
        else if (!text.empty())
            index.m_short.push_back(id);
    }
    return index;
}

std::optional<qint64> PromptIndex::byKey(std::string_view key) const {
    const std::string k(key);
    if (key.size() == 64)
        if (auto it = m_byHash.find(k); it != m_byHash.end())
            return it->second;
    if (auto it = m_byExternal.find(k); it != m_byExternal.end())
        return it->second;
    if (isDecimal(key)) {
        const qint64 id = std::stoll(k);
        if (m_texts.count(id))
            return id;
    }
    if (auto it = m_byText.find(k); it != m_byText.end())
        return it->second;
    return std::nullopt;
}

std::optional<qint64> PromptIndex::byContainedText(std::string_view rendered) const {
    if (auto it = m_byText.find(std::string(rendered)); it != m_byText.end())
        return it->second;
    {
        std::lock_guard lock(m_memoMutex);
        if (auto it = m_memo.find(std::string(rendered)); it != m_memo.end())
            return it->second;
    }
    std::optional<qint64> best;
    std::size_t bestLen = 0;
    auto consider = [&](qint64 id, std::size_t at) {
        const std::string &t = m_texts.at(id);
        if (t.size() > bestLen && rendered.compare(at, t.size(), t) == 0) {
            best = id;
            bestLen = t.size();
        }
    };
    // One hash lookup per position: linear in the rendered prompt, whatever the project size.
    if (!m_byStart.empty() && rendered.size() >= kWindow)
        for (std::size_t at = 0; at + kWindow <= rendered.size(); ++at)
            if (auto it = m_byStart.find(rendered.substr(at, kWindow)); it != m_byStart.end())
                for (qint64 id : it->second)
                    consider(id, at);
    if (!best)
        for (qint64 id : m_short)
            if (auto at = rendered.find(m_texts.at(id)); at != std::string_view::npos)
                consider(id, at);
    std::lock_guard lock(m_memoMutex);
    if (m_memo.size() > kMemoLimit)
        m_memo.clear();
    m_memo.emplace(std::string(rendered), best);
    return best;
}

const std::string *PromptIndex::text(qint64 promptId) const {
    auto it = m_texts.find(promptId);
    return it == m_texts.end() ? nullptr : &it->second;
}

} // namespace rs::serve
