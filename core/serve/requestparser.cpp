#include "requestparser.h"

#include <algorithm>
#include <charconv>

namespace rs::serve {
namespace {

std::string_view trimHttpSpace(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

std::string lowerAscii(std::string_view s) {
    std::string out(s);
    for (char &c : out)
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
    return out;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && lowerAscii(a) == lowerAscii(b);
}

bool isTokenChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

/// A decimal with no sign, no spaces, no overflow: a Content-Length or chunk size.
bool parseSize(std::string_view s, std::size_t *out, int base) {
    if (s.empty() || s.size() > 18)
        return false;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out, base);
    return ec == std::errc() && end == s.data() + s.size();
}

} // namespace

RequestParser::Result RequestParser::error(int status, std::string message) {
    Result r;
    r.state = State::Error;
    r.status = status;
    r.error = std::move(message);
    return r;
}

void RequestParser::reset() {
    m_haveHeaders = false;
    m_headerBytes = 0;
    m_contentLength = 0;
    m_chunked = false;
    m_request = {};
}

RequestParser::Result RequestParser::parse(std::string &buffer) {
    if (!m_haveHeaders) {
        Result r = parseHeaders(buffer);
        if (r.state != State::Complete)
            return r;
        // Headers are in; fall through to the body (which may be here already).
        Result body = m_chunked ? takeChunkedBody(buffer) : takeBody(buffer);
        if (body.state == State::NeedMore)
            body.expectContinue = iequals(m_request.header("expect"), "100-continue");
        return body;
    }
    return m_chunked ? takeChunkedBody(buffer) : takeBody(buffer);
}

RequestParser::Result RequestParser::parseHeaders(std::string &buffer) {
    // Tolerate the stray CRLFs some clients send between keep-alive requests (RFC 9112 2.2).
    std::size_t start = 0;
    while (start + 1 < buffer.size() && buffer[start] == '\r' && buffer[start + 1] == '\n')
        start += 2;
    if (start > 0)
        buffer.erase(0, start);
    const std::size_t end = buffer.find("\r\n\r\n");
    if (end == std::string::npos) {
        if (buffer.size() > m_limits.maxHeaderBytes)
            return error(431, "the request headers are too large");
        return {};
    }
    if (end + 4 > m_limits.maxHeaderBytes)
        return error(431, "the request headers are too large");

    const std::string_view head(buffer.data(), end);
    const std::size_t lineEnd = head.find("\r\n");
    const std::string_view line = head.substr(0, lineEnd);
    const std::size_t sp1 = line.find(' ');
    const std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp1 == std::string_view::npos || sp2 == std::string_view::npos || sp1 == 0 ||
        sp2 == sp1 + 1 || line.find(' ', sp2 + 1) != std::string_view::npos)
        return error(400, "malformed request line");
    const std::string_view method = line.substr(0, sp1);
    if (!std::all_of(method.begin(), method.end(), isTokenChar))
        return error(400, "malformed request method");
    const std::string_view version = line.substr(sp2 + 1);
    if (version != "HTTP/1.1" && version != "HTTP/1.0") {
        if (version.substr(0, 5) == "HTTP/")
            return error(505, "only HTTP/1.0 and HTTP/1.1 are served");
        return error(400, "malformed request line");
    }
    const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    if (target.front() != '/' && target != "*")
        return error(400, "the request target must be a path");

    HttpRequest req;
    req.method = std::string(method);
    req.target = std::string(target);
    req.keepAlive = version == "HTTP/1.1";
    std::string_view rest =
        lineEnd == std::string_view::npos ? std::string_view() : head.substr(lineEnd + 2);
    bool haveLength = false;
    while (!rest.empty()) {
        const std::size_t e = rest.find("\r\n");
        const std::string_view h = rest.substr(0, e);
        rest = e == std::string_view::npos ? std::string_view() : rest.substr(e + 2);
        const std::size_t colon = h.find(':');
        if (colon == std::string_view::npos || colon == 0)
            return error(400, "malformed header line");
        const std::string_view name = h.substr(0, colon);
        if (!std::all_of(name.begin(), name.end(), isTokenChar))
            return error(400, "malformed header name");
        const std::string_view value = trimHttpSpace(h.substr(colon + 1));
        if (value.find_first_of("\r\n") != std::string_view::npos)
            return error(400, "malformed header value");
        req.headers.emplace_back(lowerAscii(name), std::string(value));
        const std::string &key = req.headers.back().first;
        if (key == "content-length") {
            std::size_t n = 0;
            // Two different lengths are how request smuggling starts: refuse them.
            if (!parseSize(value, &n, 10) || (haveLength && n != m_contentLength))
                return error(400, "malformed Content-Length");
            m_contentLength = n;
            haveLength = true;
        } else if (key == "transfer-encoding") {
            if (!iequals(value, "chunked"))
                return error(501, "only the chunked transfer coding is supported");
            m_chunked = true;
        } else if (key == "connection") {
            const std::string v = lowerAscii(value);
            if (v.find("close") != std::string::npos)
                req.keepAlive = false;
            else if (v.find("keep-alive") != std::string::npos)
                req.keepAlive = true;
        }
    }
    if (m_chunked && haveLength)
        return error(400, "both Content-Length and Transfer-Encoding");
    if (m_contentLength > m_limits.maxBodyBytes)
        return error(413, "the request body is larger than the server's limit of " +
                              std::to_string(m_limits.maxBodyBytes / (1024 * 1024)) + " MB");
    m_headerBytes = end + 4;
    m_haveHeaders = true;
    m_request = std::move(req);
    Result ok;
    ok.state = State::Complete;
    return ok;
}

RequestParser::Result RequestParser::takeBody(std::string &buffer) {
    if (buffer.size() < m_headerBytes + m_contentLength)
        return {};
    Result r;
    r.state = State::Complete;
    r.request = std::move(m_request);
    r.request.body.assign(buffer, m_headerBytes, m_contentLength);
    buffer.erase(0, m_headerBytes + m_contentLength);
    reset();
    return r;
}

RequestParser::Result RequestParser::takeChunkedBody(std::string &buffer) {
    // Walks the chunk sizes without copying; the body is assembled once the last chunk is in.
    std::size_t pos = m_headerBytes;
    std::size_t total = 0;
    std::vector<std::pair<std::size_t, std::size_t>> pieces;
    for (;;) {
        const std::size_t e = buffer.find("\r\n", pos);
        if (e == std::string::npos)
            return buffer.size() - pos > 1024 ? error(400, "malformed chunk size") : Result{};
        std::string_view sizeText(buffer.data() + pos, e - pos);
        sizeText = sizeText.substr(0, sizeText.find(';')); // chunk extensions are ignored
        std::size_t n = 0;
        if (!parseSize(trimHttpSpace(sizeText), &n, 16))
            return error(400, "malformed chunk size");
        if (n > m_limits.maxBodyBytes || total + n > m_limits.maxBodyBytes)
            return error(413, "the request body is larger than the server's limit");
        pos = e + 2;
        if (n == 0)
            break;
        if (buffer.size() < pos + n + 2)
            return {};
        if (buffer.compare(pos + n, 2, "\r\n") != 0)
            return error(400, "malformed chunk");
        pieces.emplace_back(pos, n);
        total += n;
        pos += n + 2;
    }
    // Trailer fields, then the blank line.
    for (;;) {
        const std::size_t e = buffer.find("\r\n", pos);
        if (e == std::string::npos)
            return buffer.size() - pos > m_limits.maxHeaderBytes ? error(431, "trailers too large")
                                                                 : Result{};
        const bool blank = e == pos;
        pos = e + 2;
        if (blank)
            break;
    }
    Result r;
    r.state = State::Complete;
    r.request = std::move(m_request);
    r.request.body.reserve(total);
    for (const auto &[at, n] : pieces)
        r.request.body.append(buffer, at, n);
    buffer.erase(0, pos);
    reset();
    return r;
}

} // namespace rs::serve
