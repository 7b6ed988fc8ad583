#pragma once

#include <string>
#include <string_view>

namespace rs::serve {

/// Checks a request's credentials against the serve token: `Authorization: Bearer T`, or HTTP
/// Basic with password T (any user name) — what aiohttp sends for http://rs:T@host/ URLs,
/// the only way OpenRLHF can pass a token. The comparison takes the same time wherever the
/// first wrong byte is.
class RequestAuth final {
public:
    explicit RequestAuth(std::string token)
        : m_token(std::move(token)) {}

    bool enabled() const { return !m_token.empty(); }
    /// True when auth is off or the Authorization header carries the token.
    bool allows(std::string_view authorizationHeader) const;

    static bool constantTimeEquals(std::string_view a, std::string_view b);

private:
    std::string m_token;
};

} // namespace rs::serve
