#include "fieldscanner.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <locale.h>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace rs::import {
namespace {

struct Cursor {
    const char *p;
    const char *end;
};

inline void skipWs(Cursor &c)
{
    while (c.p < c.end && (*c.p == ' ' || *c.p == '\n' || *c.p == '\t' || *c.p == '\r'))
        ++c.p;
}

// Advances to the first '"', '\\' or control byte (< 0x20), 16 bytes at a time.
inline const char *findSpecial(const char *p, const char *end)
{
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i bslash = _mm_set1_epi8('\\');
    const __m128i ctl = _mm_set1_epi8(0x1F);
    while (p + 16 <= end) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
        const __m128i m = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash)),
            _mm_cmpeq_epi8(_mm_max_epu8(v, ctl), ctl)); // v <= 0x1F, unsigned
        const int mask = _mm_movemask_epi8(m);
        if (mask)
            return p + __builtin_ctz(unsigned(mask));
        p += 16;
    }
#endif
    while (p < end) {
        const unsigned char ch = static_cast<unsigned char>(*p);
        if (ch == '"' || ch == '\\' || ch < 0x20)
            return p;
        ++p;
    }
    return end;
}

inline int hexValue(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

inline bool readHex4(Cursor &c, std::uint32_t &out)
{
    if (c.end - c.p < 4)
        return false;
    out = 0;
    for (int i = 0; i < 4; ++i) {
        const int h = hexValue(c.p[i]);
        if (h < 0)
            return false;
        out = (out << 4) | std::uint32_t(h);
    }
    c.p += 4;
    return true;
}

inline void appendUtf8(std::string &s, std::uint32_t cp)
{
    if (cp < 0x80) {
        s.push_back(char(cp));
    } else if (cp < 0x800) {
        s.push_back(char(0xC0 | (cp >> 6)));
        s.push_back(char(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        s.push_back(char(0xE0 | (cp >> 12)));
        s.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
        s.push_back(char(0x80 | (cp & 0x3F)));
    } else {
        s.push_back(char(0xF0 | (cp >> 18)));
        s.push_back(char(0x80 | ((cp >> 12) & 0x3F)));
        s.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
        s.push_back(char(0x80 | (cp & 0x3F)));
    }
}

// Parses a string whose opening quote has been consumed; appends the unescaped text to `out`
// when given. Surrogate pairs must be complete, as nlohmann requires.
bool parseString(Cursor &c, std::string *out)
{
    for (;;) {
        const char *run = c.p;
        c.p = findSpecial(c.p, c.end);
        if (out && c.p > run)
            out->append(run, size_t(c.p - run));
        if (c.p == c.end)
            return false;
        const char ch = *c.p++;
        if (ch == '"')
            return true;
        if (ch != '\\')
            return false; // raw control character
        if (c.p == c.end)
            return false;
        const char e = *c.p++;
        char plain = 0;
        switch (e) {
        case '"': plain = '"'; break;
        case '\\': plain = '\\'; break;
        case '/': plain = '/'; break;
        case 'b': plain = '\b'; break;
        case 'f': plain = '\f'; break;
        case 'n': plain = '\n'; break;
        case 'r': plain = '\r'; break;
        case 't': plain = '\t'; break;
        case 'u': {
            std::uint32_t cp = 0;
            if (!readHex4(c, cp))
                return false;
            if (cp >= 0xDC00 && cp <= 0xDFFF)
                return false;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                std::uint32_t lo = 0;
                if (c.end - c.p < 2 || c.p[0] != '\\' || c.p[1] != 'u')
                    return false;
                c.p += 2;
                if (!readHex4(c, lo) || lo < 0xDC00 || lo > 0xDFFF)
                    return false;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
            if (out)
                appendUtf8(*out, cp);
            continue;
        }
        default: return false;
        }
        if (out)
            out->push_back(plain);
    }
}

bool skipNumberToken(Cursor &c);

// A number the DOM parser would reject because it overflows a double (1e400, a 400-digit
// integer). Found by fuzz_fieldscanner: the scanner accepted records the DOM path calls invalid,
// so the same file imported differently depending on which path a record took.
bool overflowsDouble(const char *begin, const char *end)
{
    // Short integers fit an int64 and are never converted; only the rare others pay for strtod.
    if (end - begin <= 18 && std::find_if(begin, end, [](char ch) {
                                 return ch == '.' || ch == 'e' || ch == 'E';
                             }) == end)
        return false;
    static const locale_t cLocale = newlocale(LC_ALL_MASK, "C", locale_t(nullptr));
    const std::string token(begin, end);
    return std::isinf(strtod_l(token.c_str(), nullptr, cLocale));
}

bool skipNumber(Cursor &c)
{
    const char *const start = c.p;
    if (!skipNumberToken(c))
        return false;
    return !overflowsDouble(start, c.p);
}

bool skipNumberToken(Cursor &c)
{
    auto digit = [&] { return c.p < c.end && *c.p >= '0' && *c.p <= '9'; };
    if (c.p < c.end && *c.p == '-')
        ++c.p;
    if (!digit())
        return false;
    if (*c.p == '0')
        ++c.p;
    else
        while (digit())
            ++c.p;
    if (c.p < c.end && *c.p == '.') {
        ++c.p;
        if (!digit())
            return false;
        while (digit())
            ++c.p;
    }
    if (c.p < c.end && (*c.p == 'e' || *c.p == 'E')) {
        ++c.p;
        if (c.p < c.end && (*c.p == '+' || *c.p == '-'))
            ++c.p;
        if (!digit())
            return false;
        while (digit())
            ++c.p;
    }
    return true;
}

bool skipLiteral(Cursor &c, std::string_view word)
{
    if (size_t(c.end - c.p) < word.size() || std::memcmp(c.p, word.data(), word.size()) != 0)
        return false;
    c.p += word.size();
    return true;
}

bool skipValue(Cursor &c, int depth);

bool skipContainer(Cursor &c, int depth, char close)
{
    if (depth > FieldScanner::kMaxDepth)
        return false;
    skipWs(c);
    if (c.p < c.end && *c.p == close) {
        ++c.p;
        return true;
    }
    for (;;) {
        skipWs(c);
        if (close == '}') {
            if (c.p == c.end || *c.p++ != '"' || !parseString(c, nullptr))
                return false;
            skipWs(c);
            if (c.p == c.end || *c.p++ != ':')
                return false;
            skipWs(c);
        }
        if (!skipValue(c, depth))
            return false;
        skipWs(c);
        if (c.p == c.end)
            return false;
        const char ch = *c.p++;
        if (ch == close)
            return true;
        if (ch != ',')
            return false;
    }
}

bool skipValue(Cursor &c, int depth)
{
    if (c.p == c.end)
        return false;
    switch (*c.p) {
    case '"': ++c.p; return parseString(c, nullptr);
    case '{': ++c.p; return skipContainer(c, depth + 1, '}');
    case '[': ++c.p; return skipContainer(c, depth + 1, ']');
    case 't': return skipLiteral(c, "true");
    case 'f': return skipLiteral(c, "false");
    case 'n': return skipLiteral(c, "null");
    default: return skipNumber(c);
    }
}

} // namespace

bool FieldScanner::scan(std::string_view text, Field *fields, size_t count)
{
    Cursor c{text.data(), text.data() + text.size()};
    std::string key;
    skipWs(c);
    if (c.p == c.end || *c.p++ != '{')
        return false;
    skipWs(c);
    if (c.p < c.end && *c.p == '}') {
        ++c.p;
    } else {
        for (;;) {
            skipWs(c);
            if (c.p == c.end || *c.p++ != '"')
                return false;
            // Keys are short and rarely escaped: compare the raw bytes when there is no escape.
            const char *k0 = c.p;
            const char *kq = findSpecial(c.p, c.end);
            std::string_view name;
            if (kq < c.end && *kq == '"') {
                name = std::string_view(k0, size_t(kq - k0));
                c.p = kq + 1;
            } else {
                key.clear();
                if (!parseString(c, &key))
                    return false;
                name = key;
            }
            skipWs(c);
            if (c.p == c.end || *c.p++ != ':')
                return false;
            skipWs(c);
            Field *hit = nullptr;
            for (size_t i = 0; i < count; ++i)
                if (fields[i].key == name)
                    hit = &fields[i];
            if (hit && c.p < c.end && *c.p == '"') {
                ++c.p;
                hit->out->clear();
                if (!parseString(c, hit->out))
                    return false;
                hit->found = true; // a repeated key wins, as in nlohmann's DOM
            } else {
                if (hit && hit->required)
                    return false;
                if (hit)
                    hit->found = false;
                if (!skipValue(c, 1))
                    return false;
            }
            skipWs(c);
            if (c.p == c.end)
                return false;
            const char ch = *c.p++;
            if (ch == '}')
                break;
            if (ch != ',')
                return false;
        }
    }
    skipWs(c);
    return c.p == c.end;
}

} // namespace rs::import
