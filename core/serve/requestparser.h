#pragma once

#include "httpmessage.h"

#include <cstddef>
#include <string>

namespace rs::serve {

/// An incremental HTTP/1.1 request parser for one connection. It reads from the front of the
/// connection's buffer and removes a request once it is complete, so pipelined requests stay
/// queued behind it. Pure (no sockets): the fuzz target and the tests drive it directly.
///
/// The body limit is checked against Content-Length as soon as the headers are in, so an
/// over-limit upload is answered 413 before any of its body is buffered.
class RequestParser final {
public:
    struct Limits {
        std::size_t maxHeaderBytes = 64 * 1024;
        std::size_t maxBodyBytes = 64 * 1024 * 1024;
    };
    enum class State { NeedMore, Complete, Error };
    struct Result {
        State state = State::NeedMore;
        HttpRequest request; ///< set when Complete
        int status = 0;      ///< set when Error: 400, 411, 413, 431, 501, 505
        std::string error;   ///< set when Error, for the JSON body
        /// The client waits for "100 Continue" before it sends the body (curl does above 1 MiB).
        bool expectContinue = false;
    };

    explicit RequestParser(Limits limits)
        : m_limits(limits) {}

    /// Parses what `buffer` holds; a complete request is removed from its front.
    Result parse(std::string &buffer);
    /// Forgets a half-parsed request (the connection is closing).
    void reset();

private:
    Result parseHeaders(std::string &buffer);
    Result takeBody(std::string &buffer);
    Result takeChunkedBody(std::string &buffer);
    static Result error(int status, std::string message);

    Limits m_limits;
    bool m_haveHeaders = false;
    std::size_t m_headerBytes = 0; ///< request line and headers, blank line included
    std::size_t m_contentLength = 0;
    bool m_chunked = false;
    HttpRequest m_request;
};

} // namespace rs::serve
