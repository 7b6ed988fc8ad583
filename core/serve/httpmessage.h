#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rs::serve {

/// One parsed HTTP/1.1 request. Header names are lower-cased; values keep their bytes.
struct HttpRequest final {
    std::string method;
    std::string target; ///< path and query, as sent
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    bool keepAlive = true;

    /// The first header of that (lower-case) name, or an empty view.
    std::string_view header(std::string_view name) const {
        for (const auto &[k, v] : headers)
            if (k == name)
                return v;
        return {};
    }
    /// The path without the query string.
    std::string_view path() const {
        const std::string_view t(target);
        return t.substr(0, t.find('?'));
    }
};

struct HttpResponse final {
    int status = 200;
    std::string contentType = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers; ///< extra ones (Retry-After, ...)
    bool close = false; ///< close the connection after this response

    /// Status line, headers and body as sent on the wire.
    std::string serialize(bool keepAlive) const;
};

/// The reason phrase of a status code ("Not Found").
std::string_view reasonPhrase(int status);

/// `{"error": message}` with the status, the shape every error of the server has.
HttpResponse errorResponse(int status, std::string_view message);

} // namespace rs::serve
