#pragma once

#include "delayqueue.h"
#include "router.h"
#include "serveroptions.h"
#include "stats.h"

#include <QObject>
#include <QTcpServer>

namespace rs::llmserver {

/// Listens on 127.0.0.1 and gives every accepted socket a Connection. Single-threaded by
/// design: the work per request is a few microseconds, and one thread keeps the fault script
/// and the counters in one order without locks.
class TestServer final : public QObject {
    Q_OBJECT
public:
    explicit TestServer(ServerOptions options, QObject *parent = nullptr);

    bool listen(QString *error);
    quint16 port() const { return m_server.serverPort(); }

private:
    void onNewConnection();

    ServerOptions m_options;
    Stats m_stats;
    Router m_router;
    DelayQueue m_delays;
    // Last, so that it and the connections parented to it go before the stats they update.
    QTcpServer m_server;
};

} // namespace rs::llmserver
