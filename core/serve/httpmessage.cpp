#include "httpmessage.h"

#include <nlohmann/json.hpp>

namespace rs::serve {

std::string_view reasonPhrase(int status) {
    switch (status) {
    case 100:
        return "Continue";
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 411:
        return "Length Required";
    case 413:
        return "Content Too Large";
    case 422:
        return "Unprocessable Content";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Unknown";
    }
}

std::string HttpResponse::serialize(bool keepAlive) const {
    std::string out;
    out.reserve(body.size() + 160);
    out += "HTTP/1.1 ";
    out += std::to_string(status);
    out += ' ';
    out += reasonPhrase(status);
    out += "\r\nContent-Type: ";
    out += contentType;
    out += "\r\nContent-Length: ";
    out += std::to_string(body.size());
    out += keepAlive && !close ? "\r\nConnection: keep-alive" : "\r\nConnection: close";
    for (const auto &[k, v] : headers) {
        out += "\r\n";
        out += k;
        out += ": ";
        out += v;
    }
    out += "\r\n\r\n";
    out += body;
    return out;
}

HttpResponse errorResponse(int status, std::string_view message) {
    HttpResponse r;
    r.status = status;
    // dump() with replacement: a message quoting bad input must still be valid JSON.
    r.body = nlohmann::json{{"error", std::string(message)}}.dump(
        -1, ' ', false, nlohmann::json::error_handler_t::replace);
    return r;
}

} // namespace rs::serve
