#pragma once

#include "faultkind.h"
#include "outcome.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>

#include <nlohmann/json.hpp>

namespace rs::llmserver {

/// Counters served by GET /stats, so tests can assert what reached the "network" (for example
/// that a cache hit made no call). GET /stats itself is never counted.
class Stats final {
public:
    Stats();

    void countRequest(const QByteArray &path);
    /// `structured`: the request carried a JSON schema (any API's form) or forced a tool; only
    /// the strict profiles read schemas, so under "lenient" it is always false.
    void countModelRequest(const QString &api, const QString &role, bool structured = false);
    void countFault(FaultKind kind);
    void countStatus(int status);
    void countTokens(qint64 input, qint64 output);
    /// Cuts, refusals, reasoning and cached tokens of an answer sent.
    void countOutcome(const Outcome &outcome);
    /// A request a profile refused; key is the parameter named (or "other").
    void countRejection(const QString &key);
    /// A P(yes) served as logprobs, kept in order so a test can compare what a client stored.
    void recordPYes(const QString &id, const QString &model, const QString &criterion,
                    const QString &token, double pYes);
    void setProfile(const QString &name) { m_profile = name; }
    void connectionOpened();
    void connectionClosed();

    QByteArray toJson() const;

private:
    nlohmann::ordered_json pYesList() const;

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
    QMap<QString, quint64> m_structuredByRole; ///< requests with a schema, per role
    QMap<QString, quint64> m_byFault;
    QMap<QString, quint64> m_byStatus;
    QMap<QString, quint64> m_rejections;
    QString m_profile = QStringLiteral("lenient");
    quint64 m_cut = 0;
    quint64 m_refused = 0;
    qint64 m_cachedTokens = 0;
    qint64 m_cacheCreationTokens = 0;
    qint64 m_reasoningTokens = 0;
    struct ServedPYes {
        QString id, model, criterion, token;
        double pYes;
    };
    QList<ServedPYes> m_pYes;
};

} // namespace rs::llmserver
