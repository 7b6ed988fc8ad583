#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

namespace rs::llmserver {

/// A complete response: the body is always known in full before anything is sent (streams
/// included), so every response carries an exact Content-Length and keep-alive stays simple.
struct HttpResponse {
    int status = 200;
    QByteArray contentType = "application/json";
    QList<QPair<QByteArray, QByteArray>> extraHeaders;
    QByteArray body;

    /// Status line and headers; contentLength may differ from body.size() on purpose (the
    /// "truncated" fault promises more than it sends).
    QByteArray head(qsizetype contentLength, bool keepAlive) const;
    QByteArray serialize(bool keepAlive) const { return head(body.size(), keepAlive) + body; }

    static HttpResponse json(int status, QByteArray body);
    static HttpResponse text(int status, QByteArray body);
    static QByteArray reasonPhrase(int status);
};

} // namespace rs::llmserver
