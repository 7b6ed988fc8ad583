#include "testserver.h"

#include "connection.h"
#include "logging.h"

#include <QTcpSocket>

#include <utility>

namespace rs::llmserver {

TestServer::TestServer(ServerOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_router(m_options, m_stats) {
    // Many clients connect at once at the start of a load test; the default backlog of 50
    // would make some of them wait for a SYN retry.
    m_server.setListenBacklogSize(1024);
    m_server.setMaxPendingConnections(1024);
    connect(&m_server, &QTcpServer::newConnection, this, &TestServer::onNewConnection);
}

bool TestServer::listen(QString *error) {
    if (m_server.listen(QHostAddress::LocalHost, m_options.port))
        return true;
    *error = m_server.errorString();
    return false;
}

void TestServer::onNewConnection() {
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        qCDebug(lcLlmServer) << "connection from port" << socket->peerPort();
        new Connection(socket, m_router, m_stats, m_delays, m_options.stallMs, &m_server);
    }
}

} // namespace rs::llmserver
