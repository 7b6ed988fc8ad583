#pragma once

#include "faultkind.h"

#include <QByteArray>
#include <QMap>
#include <QString>

namespace rs::llmserver {

/// Counters served by GET /stats, so tests can assert what reached the "network" (for example
/// that a cache hit made no call). GET /stats itself is never counted.
class Stats final {
public:
    Stats();

    void countRequest(const QByteArray &path);
    void countModelRequest(const QString &api, const QString &role);
    void countFault(FaultKind kind);
    void countStatus(int status);
    void countTokens(qint64 input, qint64 output);
    void connectionOpened();
    void connectionClosed();

    QByteArray toJson() const;

private:
    quint64 m_requests = 0;
    quint64 m_modelRequests = 0;
    quint64 m_connectionsTotal = 0;
    quint64 m_connectionsOpen = 0;
    qint64 m_inputTokens = 0;
    qint64 m_outputTokens = 0;
    QMap<QString, quint64> m_byPath;
    QMap<QString, quint64> m_byApi;
    QMap<QString, quint64> m_byRole;
    QMap<QString, quint64> m_byFault;
    QMap<QString, quint64> m_byStatus;
};

} // namespace rs::llmserver
