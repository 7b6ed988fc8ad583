#include "connection.h"

#include "delayqueue.h"
#include "logging.h"
#include "stats.h"

#include <QTcpSocket>

#include <sys/socket.h>

namespace rs::llmserver {

Connection::Connection(QTcpSocket *socket, Router &router, Stats &stats, DelayQueue &delays,
                       int stallMs, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_router(router)
    , m_stats(stats)
    , m_delays(delays)
    , m_stallMs(stallMs) {
    m_socket->setParent(this);
    // Each answer goes out in one write, so Nagle would only add delay to keep-alive clients.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_stallTimer.setSingleShot(true);
    m_stats.connectionOpened();
    connect(m_socket, &QTcpSocket::readyRead, this, &Connection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
    connect(&m_stallTimer, &QTimer::timeout, this, &Connection::onStallElapsed);
    if (m_socket->bytesAvailable() > 0)
        onReadyRead();
}

Connection::~Connection() {
    m_stats.connectionClosed();
}

void Connection::onReadyRead() {
    m_parser.append(m_socket->readAll());
    processPending();
}

void Connection::processPending() {
    while (m_phase == Phase::Idle) {
        switch (m_parser.next()) {
        case HttpParser::State::NeedMore:
            if (m_parser.takeContinue())
                write("HTTP/1.1 100 Continue\r\n\r\n");
            return;
        case HttpParser::State::Failed:
            // The stream cannot be framed any more: answer once and close.
            write(m_router.protocolError(m_parser.errorStatus(), m_parser.errorText())
                      .serialize(false));
            closeGracefully();
            return;
        case HttpParser::State::Ready:
            break;
        }
        // The latency counts from here, so the time spent answering is part of it rather
        // than added to it, as with a real server.
        const DelayQueue::Clock::time_point received = DelayQueue::Clock::now();
        const HttpRequest request = m_parser.take();
        m_keepAlive = request.keepAlive();
        m_pending = m_router.handle(request);
        if (m_pending.transportFault != FaultKind::Stall && m_pending.delayMs > 0) {
            m_phase = Phase::Delaying;
            m_delays.schedule(received + std::chrono::milliseconds(m_pending.delayMs), this,
                              [this] { onDelayElapsed(); });
            return;
        }
        if (!deliver())
            return;
    }
}

void Connection::onDelayElapsed() {
    if (m_phase != Phase::Delaying)
        return;
    m_phase = Phase::Idle;
    if (deliver())
        processPending();
}

void Connection::onStallElapsed() {
    if (m_phase != Phase::Stalling)
        return;
    qCDebug(lcLlmServer) << "stall over, closing the connection";
    closeGracefully();
}

bool Connection::deliver() {
    const Reply reply = std::exchange(m_pending, {});
    switch (reply.transportFault) {
    case FaultKind::Stall:
        m_phase = Phase::Stalling;
        m_stallTimer.start(m_stallMs);
        return false;
    case FaultKind::Reset:
        resetHard();
        return false;
    case FaultKind::Truncated: {
        // The head promises the whole body (and keep-alive); half of it comes, then FIN.
        const QByteArray &body = reply.response.body;
        write(reply.response.head(body.size(), m_keepAlive) + body.left(body.size() / 2));
        closeGracefully();
        return false;
    }
    default:
        write(reply.response.serialize(m_keepAlive));
        if (!m_keepAlive) {
            closeGracefully();
            return false;
        }
        m_phase = Phase::Idle;
        return true;
    }
}

void Connection::write(const QByteArray &bytes) {
    // The client may have gone while its answer was delayed.
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    m_socket->write(bytes);
    // Hand the bytes to the kernel now instead of on the next event-loop pass.
    m_socket->flush();
}

void Connection::closeGracefully() {
    m_phase = Phase::Closing;
    m_stallTimer.stop();
    m_socket->disconnectFromHost();
}

void Connection::resetHard() {
    m_phase = Phase::Closing;
    m_stallTimer.stop();
    // SO_LINGER with a zero timeout makes close() send RST instead of FIN: the client sees
    // "connection reset by peer", as when a proxy or a crashing backend drops it.
    const linger hard{1, 0};
    ::setsockopt(int(m_socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    m_socket->abort();
    deleteLater();
}

} // namespace rs::llmserver
