#pragma once

#include "httpparser.h"
#include "router.h"

#include <QObject>
#include <QTimer>

class QTcpSocket;

namespace rs::llmserver {

class DelayQueue;
class Stats;

/// One client connection: parses requests, answers them strictly in order (a pipelined request
/// waits in the parser until the previous answer is out), and carries out the delays and the
/// transport faults. Nothing blocks: latency (DelayQueue) and stalls (QTimer) are timers on the
/// event loop, so one thread serves every connection.
class Connection final : public QObject {
    Q_OBJECT
public:
    Connection(QTcpSocket *socket, Router &router, Stats &stats, DelayQueue &delays, int stallMs,
               QObject *parent);
    ~Connection() override;

private:
    enum class Phase { Idle, Delaying, Stalling, Closing };

    void onReadyRead();
    void onDelayElapsed();
    void onStallElapsed();
    void processPending();
    /// Sends the pending reply; true when the connection is ready for its next request.
    bool deliver();
    void write(const QByteArray &bytes);
    void closeGracefully();
    void resetHard();

    QTcpSocket *m_socket;
    Router &m_router;
    Stats &m_stats;
    DelayQueue &m_delays;
    int m_stallMs;
    HttpParser m_parser;
    QTimer m_stallTimer;
    Phase m_phase = Phase::Idle;
    Reply m_pending;
    bool m_keepAlive = true;
};

} // namespace rs::llmserver
