#include "requestauth.h"

#include <QByteArray>

namespace rs::serve {
namespace {

bool startsWithNoCase(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size())
        return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
        if (c != prefix[i])
            return false;
    }
    return true;
}

} // namespace

bool RequestAuth::constantTimeEquals(std::string_view a, std::string_view b) {
    // Every byte of the longer string is visited; the length difference only sets the result.
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    const std::size_t n = std::max(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
        const unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
        diff |= static_cast<unsigned char>(x ^ y);
    }
    return diff == 0;
}

bool RequestAuth::allows(std::string_view header) const {
    if (m_token.empty())
        return true;
    while (!header.empty() && header.front() == ' ')
        header.remove_prefix(1);
    if (startsWithNoCase(header, "bearer ")) {
        std::string_view t = header.substr(7);
        while (!t.empty() && t.front() == ' ')
            t.remove_prefix(1);
        return constantTimeEquals(t, m_token);
    }
    if (startsWithNoCase(header, "basic ")) {
        const QByteArray decoded = QByteArray::fromBase64(
            QByteArray::fromRawData(header.data() + 6, qsizetype(header.size() - 6)).trimmed());
        const qsizetype colon = decoded.indexOf(':');
        if (colon < 0)
            return false;
        // aiohttp sends the URL's credentials percent-decoded; the password is the token.
        return constantTimeEquals(std::string_view(decoded.constData() + colon + 1,
                                                   std::size_t(decoded.size() - colon - 1)),
                                  m_token);
    }
    return false;
}

} // namespace rs::serve
