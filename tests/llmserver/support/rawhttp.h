#pragma once

#include <QAbstractSocket>
#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QTcpSocket>

namespace rs::test {

using Headers = QList<QPair<QByteArray, QByteArray>>;

/// One HTTP response as it arrived, including the broken ones the fault modes produce.
struct RawResponse {
    int status = 0;  // 0: not even a status line arrived
    Headers headers; // names lower-cased
    QByteArray body;
    qsizetype declaredLength = -1;
    bool complete = false;   // head and the whole declared body arrived
    bool peerClosed = false; // the server closed (FIN or RST) while or after answering
    bool timedOut = false;

    QByteArray header(QByteArrayView lowerName) const;
    /// The body as a JSON object (empty when it is not one).
    QJsonObject json() const;
};

/// A blocking keep-alive HTTP/1.1 client over one QTcpSocket: requests are written exactly as
/// given and responses read byte by byte, so tests see truncation, resets and reuse directly.
class RawHttpClient final {
public:
    bool connectTo(quint16 port, int timeoutMs = 5000);
    void send(const QByteArray &method, const QByteArray &path, const QByteArray &body = {},
              const Headers &headers = {});
    void sendRaw(const QByteArray &bytes);
    RawResponse read(int timeoutMs = 10000);
    RawResponse request(const QByteArray &method, const QByteArray &path,
                        const QByteArray &body = {}, const Headers &headers = {},
                        int timeoutMs = 10000) {
        send(method, path, body, headers);
        return read(timeoutMs);
    }
    /// True when the server closed the connection within timeoutMs.
    bool waitForClose(int timeoutMs);
    QTcpSocket &socket() { return m_socket; }

private:
    bool fill(int timeoutMs);

    QTcpSocket m_socket;
    QByteArray m_buffer;
};

} // namespace rs::test
