#pragma once

#include "httprequest.h"

#include <QByteArray>

namespace rs::llmserver {

/// Incremental HTTP/1.0 and 1.1 request parser for one connection. Bytes are appended as they
/// arrive; next() extracts one complete request at a time, so pipelined requests wait in the
/// buffer until the connection has answered the previous one. Bodies need Content-Length:
/// chunked request bodies are refused, as no client the studio uses sends them.
class HttpParser final {
public:
    enum class State { NeedMore, Ready, Failed };

    static constexpr qsizetype kMaxHeadBytes = 64 * 1024;
    static constexpr qsizetype kMaxBodyBytes = 64 * 1024 * 1024;

    void append(QByteArrayView data);
    /// Ready: take() returns the request. Failed: the connection must answer
    /// errorStatus()/errorText() and close, since the byte stream can no longer be framed.
    State next();
    HttpRequest take();

    /// True once per request whose client sent "Expect: 100-continue" and still waits for a
    /// go-ahead before sending the body (curl does this for larger bodies).
    bool takeContinue();

    int errorStatus() const { return m_errorStatus; }
    QByteArray errorText() const { return m_errorText; }

private:
    bool parseHead(qsizetype headLength);
    State fail(int status, QByteArray text);

    QByteArray m_buffer;
    qsizetype m_headScanFrom = 0; // where to resume looking for the blank line
    bool m_haveHead = false;
    qsizetype m_bodyStart = 0;
    qsizetype m_contentLength = 0;
    bool m_continuePending = false;
    HttpRequest m_current;
    int m_errorStatus = 0;
    QByteArray m_errorText;
};

} // namespace rs::llmserver
