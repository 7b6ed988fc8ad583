#include "httpparser.h"

#include <utility>

namespace rs::llmserver {

void HttpParser::append(QByteArrayView data) {
    m_buffer.append(data);
}

HttpParser::State HttpParser::fail(int status, QByteArray text) {
    m_errorStatus = status;
    m_errorText = std::move(text);
    return State::Failed;
}

HttpParser::State HttpParser::next() {
    if (m_errorStatus != 0)
        return State::Failed;
    if (!m_haveHead) {
        // Tolerate the empty lines some clients leave between pipelined requests (RFC 9112 2.2).
        qsizetype lead = 0;
        while (lead < m_buffer.size() && (m_buffer[lead] == '\r' || m_buffer[lead] == '\n'))
            ++lead;
        if (lead > 0) {
            m_buffer.remove(0, lead);
            m_headScanFrom = 0;
        }
        // The head ends at the first empty line; bare LF line ends are accepted too.
        qsizetype end = -1;
        for (qsizetype i = qMax<qsizetype>(m_headScanFrom, 1); i < m_buffer.size(); ++i) {
            if (m_buffer[i] != '\n')
                continue;
            if (m_buffer[i - 1] == '\n') {
                end = i + 1;
                break;
            }
            if (i >= 2 && m_buffer[i - 1] == '\r' && m_buffer[i - 2] == '\n') {
                end = i + 1;
                break;
            }
        }
        if (end < 0) {
            m_headScanFrom = qMax<qsizetype>(1, m_buffer.size());
            if (m_buffer.size() > kMaxHeadBytes)
                return fail(431, "request head too large");
            return State::NeedMore;
        }
        if (end > kMaxHeadBytes)
            return fail(431, "request head too large");
        if (!parseHead(end))
            return State::Failed;
        m_haveHead = true;
        m_bodyStart = end;
        m_continuePending =
            m_current.header("expect").toLower() == "100-continue" && m_contentLength > 0;
    }
    if (m_buffer.size() - m_bodyStart < m_contentLength)
        return State::NeedMore;
    return State::Ready;
}

bool HttpParser::parseHead(qsizetype headLength) {
    const QByteArrayView head(m_buffer.constData(), headLength);
    qsizetype lineStart = 0;
    bool first = true;
    m_current = {};
    m_contentLength = 0;
    bool sawLength = false;
    while (lineStart < head.size()) {
        qsizetype lineEnd = head.indexOf('\n', lineStart);
        if (lineEnd < 0)
            lineEnd = head.size();
        QByteArrayView line = head.sliced(lineStart, lineEnd - lineStart);
        if (line.endsWith('\r'))
            line.chop(1);
        lineStart = lineEnd + 1;
        if (line.isEmpty())
            break;
        if (first) {
            first = false;
            const qsizetype sp1 = line.indexOf(' ');
            const qsizetype sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
            if (sp1 <= 0 || sp2 <= sp1 + 1) {
                fail(400, "malformed request line");
                return false;
            }
            const QByteArrayView version = line.sliced(sp2 + 1);
            if (version == "HTTP/1.1")
                m_current.minorVersion = 1;
            else if (version == "HTTP/1.0")
                m_current.minorVersion = 0;
            else {
                fail(505, "only HTTP/1.0 and HTTP/1.1 are supported");
                return false;
            }
            m_current.method = line.first(sp1).toByteArray();
            QByteArrayView target = line.sliced(sp1 + 1, sp2 - sp1 - 1);
            const qsizetype query = target.indexOf('?');
            if (query >= 0)
                target.truncate(query);
            m_current.path = target.toByteArray();
            continue;
        }
        if (line.front() == ' ' || line.front() == '\t') {
            fail(400, "folded header lines are not supported");
            return false;
        }
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0) {
            fail(400, "malformed header line");
            return false;
        }
        QByteArray name = line.first(colon).toByteArray().toLower();
        QByteArray value = line.sliced(colon + 1).toByteArray().trimmed();
        if (name == "content-length") {
            bool ok = false;
            const qlonglong length = value.toLongLong(&ok);
            if (!ok || length < 0 || (sawLength && length != m_contentLength)) {
                fail(400, "invalid Content-Length");
                return false;
            }
            if (length > kMaxBodyBytes) {
                fail(413, "request body too large");
                return false;
            }
            m_contentLength = qsizetype(length);
            sawLength = true;
        } else if (name == "transfer-encoding") {
            fail(501, "chunked request bodies are not supported; send Content-Length");
            return false;
        }
        m_current.headers.append({std::move(name), std::move(value)});
    }
    return true;
}

HttpRequest HttpParser::take() {
    m_current.body = m_buffer.mid(m_bodyStart, m_contentLength);
    m_buffer.remove(0, m_bodyStart + m_contentLength);
    m_haveHead = false;
    m_headScanFrom = 0;
    m_continuePending = false;
    m_contentLength = 0;
    return std::exchange(m_current, {});
}

bool HttpParser::takeContinue() {
    if (!m_continuePending || !m_haveHead || m_buffer.size() > m_bodyStart)
        return false;
    m_continuePending = false;
    return true;
}

} // namespace rs::llmserver
