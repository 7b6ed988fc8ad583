#include "utf8.h"

#include <cstring>
#include <string>

namespace rs::import {

size_t firstInvalidUtf8(std::string_view text)
{
    const auto *s = reinterpret_cast<const unsigned char *>(text.data());
    const size_t n = text.size();
    size_t i = 0;
    while (i < n) {
        // ASCII fast path: responses are mostly ASCII, so check eight bytes at a time.
        if (i + 8 <= n) {
            std::uint64_t w;
            std::memcpy(&w, s + i, 8);
            if ((w & 0x8080808080808080ULL) == 0) {
                i += 8;
                continue;
            }
        }
        const unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        size_t len = 0;
        std::uint32_t cp = 0;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (i + len > n)
            return i;
        for (size_t k = 1; k < len; ++k) {
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)))
            || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
            return i;
        i += len;
    }
    return std::string_view::npos;
}

std::int64_t codePointCount(std::string_view text)
{
    std::int64_t count = 0;
    for (const char ch : text)
        count += (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
    return count;
}

std::int64_t contentHash(std::string_view text)
{
    // FNV-1a over 8-byte words with a final avalanche: fast, and spreads texts well enough
    // for a lookup key. Not a proof of equality: ImportSink compares the text on a match.
    std::uint64_t h = 0xcbf29ce484222325ULL ^ text.size();
    const auto *s = reinterpret_cast<const unsigned char *>(text.data());
    size_t i = 0;
    for (; i + 8 <= text.size(); i += 8) {
        std::uint64_t w;
        std::memcpy(&w, s + i, 8);
        h = (h ^ w) * 0x100000001b3ULL;
        h ^= h >> 29;
    }
    for (; i < text.size(); ++i)
        h = (h ^ s[i]) * 0x100000001b3ULL;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return static_cast<std::int64_t>(h);
}

} // namespace rs::import

namespace rs::import {

std::int64_t criterionContentHash(std::string_view text, double weight, std::string_view category,
                                  std::string_view checkJson, bool veto) {
    std::string key(text);
    key += '\x1f';
    key += std::to_string(weight);
    key += '\x1f';
    key += category;
    if (!checkJson.empty()) {
        key += "\x1f"
               "check:";
        key += checkJson;
    }
    if (veto)
        key += "\x1f"
               "veto";
    return contentHash(key);
}

} // namespace rs::import
