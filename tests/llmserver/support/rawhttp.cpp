#include "rawhttp.h"

#include <QDeadlineTimer>
#include <QHostAddress>
#include <QJsonDocument>

namespace rs::test {

QByteArray RawResponse::header(QByteArrayView lowerName) const {
    for (const auto &h : headers)
        if (h.first == lowerName)
            return h.second;
    return {};
}

QJsonObject RawResponse::json() const {
    return QJsonDocument::fromJson(body).object();
}

bool RawHttpClient::connectTo(quint16 port, int timeoutMs) {
    m_socket.connectToHost(QHostAddress::LocalHost, port);
    return m_socket.waitForConnected(timeoutMs);
}

void RawHttpClient::send(const QByteArray &method, const QByteArray &path, const QByteArray &body,
                         const Headers &headers) {
    QByteArray out = method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    bool hasType = false;
    for (const auto &h : headers) {
        out += h.first + ": " + h.second + "\r\n";
        hasType = hasType || h.first.toLower() == "content-type";
    }
    if (!body.isEmpty() || method == "POST") {
        if (!hasType)
            out += "Content-Type: application/json\r\n";
        out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    }
    out += "\r\n" + body;
    sendRaw(out);
}

void RawHttpClient::sendRaw(const QByteArray &bytes) {
    m_socket.write(bytes);
    m_socket.flush();
}

bool RawHttpClient::fill(int timeoutMs) {
    if (m_socket.state() != QAbstractSocket::ConnectedState && m_socket.bytesAvailable() == 0)
        return false;
    if (m_socket.bytesAvailable() == 0 && !m_socket.waitForReadyRead(timeoutMs))
        return false;
    m_buffer += m_socket.readAll();
    return true;
}

RawResponse RawHttpClient::read(int timeoutMs) {
    RawResponse r;
    const QDeadlineTimer deadline(timeoutMs);
    const auto more = [&] {
        if (fill(int(qMax<qint64>(1, deadline.remainingTime()))))
            return true;
        if (deadline.hasExpired())
            r.timedOut = true;
        else
            r.peerClosed = true;
        return false;
    };
    for (;;) {
        qsizetype headEnd;
        while ((headEnd = m_buffer.indexOf("\r\n\r\n")) < 0)
            if (!more())
                return r;
        const QList<QByteArray> lines = m_buffer.left(headEnd).split('\n');
        m_buffer.remove(0, headEnd + 4);
        const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
        r.status = statusLine.value(1).toInt();
        r.headers.clear();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon > 0)
                r.headers.append(
                    {lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed()});
        }
        if (r.status != 100)
            break;
    }
    r.declaredLength = r.header("content-length").toLongLong();
    while (m_buffer.size() < r.declaredLength)
        if (!more())
            break;
    r.body = m_buffer.left(r.declaredLength);
    m_buffer.remove(0, r.body.size());
    r.complete = r.body.size() == r.declaredLength;
    if (r.complete && r.header("connection") == "close")
        r.peerClosed = waitForClose(timeoutMs);
    return r;
}

bool RawHttpClient::waitForClose(int timeoutMs) {
    const QDeadlineTimer deadline(timeoutMs);
    while (m_socket.state() == QAbstractSocket::ConnectedState && !deadline.hasExpired()) {
        m_socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
        m_buffer += m_socket.readAll();
    }
    return m_socket.state() != QAbstractSocket::ConnectedState;
}

} // namespace rs::test
