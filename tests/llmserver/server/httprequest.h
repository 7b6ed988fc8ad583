#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

namespace rs::llmserver {

/// One parsed HTTP/1.x request. Header names are lower-cased by the parser.
struct HttpRequest {
    QByteArray method;
    QByteArray path; // the target without its query string
    int minorVersion = 1;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    /// The first header of that (lower-case) name, or a null QByteArray.
    QByteArray header(QByteArrayView lowerName) const {
        for (const auto &h : headers)
            if (h.first == lowerName)
                return h.second;
        return {};
    }
    bool hasHeader(QByteArrayView lowerName) const { return !header(lowerName).isNull(); }

    /// HTTP/1.1 keeps the connection unless told "close"; HTTP/1.0 closes unless "keep-alive".
    bool keepAlive() const {
        const QByteArray connection = header("connection").toLower();
        if (minorVersion == 0)
            return connection.contains("keep-alive");
        return !connection.contains("close");
    }
};

} // namespace rs::llmserver
