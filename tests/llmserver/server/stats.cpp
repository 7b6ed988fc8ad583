#include "stats.h"

#include "oracle.h"

#include <nlohmann/json.hpp>

namespace rs::llmserver {

namespace {
nlohmann::ordered_json toObject(const QMap<QString, quint64> &map) {
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        out[it.key().toStdString()] = it.value();
    return out;
}
} // namespace

Stats::Stats() {
    // Every known key is present from the start, so a test can read a zero without guessing.
    for (const Role role : {Role::Chat, Role::Proposer, Role::Judge, Role::Pairwise, Role::Rewrite}) {
        m_byRole.insert(Oracle::roleName(role), 0);
        m_structuredByRole.insert(Oracle::roleName(role), 0);
    }
    m_byFault.insert(faultName(FaultKind::None), 0);
    for (const FaultKind kind : allFaults())
        m_byFault.insert(faultName(kind), 0);
    m_byApi.insert(QStringLiteral("openai"), 0);
    m_byApi.insert(QStringLiteral("anthropic"), 0);
    m_byApi.insert(QStringLiteral("responses"), 0);
}

void Stats::countOutcome(const Outcome &outcome) {
    m_cut += outcome.finish == Finish::Length ? 1 : 0;
    m_refused += outcome.finish == Finish::Refusal ? 1 : 0;
    m_cachedTokens += outcome.cachedTokens;
    m_cacheCreationTokens += outcome.cacheCreationTokens;
    m_reasoningTokens += outcome.reasoningTokens;
}

void Stats::countRejection(const QString &key) {
    ++m_rejections[key];
}

void Stats::recordPYes(const QString &id, const QString &model, const QString &criterion,
                       const QString &token, double pYes) {
    m_pYes.append({id, model, criterion, token, pYes});
}

void Stats::countRequest(const QByteArray &path) {
    ++m_requests;
    ++m_byPath[QString::fromUtf8(path)];
}

void Stats::countModelRequest(const QString &api, const QString &role, bool structured) {
    ++m_modelRequests;
    ++m_byApi[api];
    ++m_byRole[role];
    if (structured)
        ++m_structuredByRole[role];
}

void Stats::countFault(FaultKind kind) {
    ++m_byFault[faultName(kind)];
}

void Stats::countStatus(int status) {
    ++m_byStatus[QString::number(status)];
}

void Stats::countTokens(qint64 input, qint64 output) {
    m_inputTokens += input;
    m_outputTokens += output;
}

void Stats::connectionOpened() {
    ++m_connectionsTotal;
    ++m_connectionsOpen;
}

void Stats::connectionClosed() {
    --m_connectionsOpen;
}

nlohmann::ordered_json Stats::pYesList() const {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const ServedPYes &p : m_pYes)
        out.push_back({{"id", p.id.toStdString()},
                       {"model", p.model.toStdString()},
                       {"criterion", p.criterion.toStdString()},
                       {"token", p.token.toStdString()},
                       {"p_yes", p.pYes}});
    return out;
}

QByteArray Stats::toJson() const {
    const nlohmann::ordered_json j{
        {"requests_total", m_requests},
        {"model_requests", m_modelRequests},
        {"by_path", toObject(m_byPath)},
        {"by_api", toObject(m_byApi)},
        {"by_role", toObject(m_byRole)},
        {"structured_by_role", toObject(m_structuredByRole)},
        {"by_fault", toObject(m_byFault)},
        {"by_status", toObject(m_byStatus)},
        {"tokens",
         {{"input", m_inputTokens},
          {"output", m_outputTokens},
          {"cached_input", m_cachedTokens},
          {"cache_creation_input", m_cacheCreationTokens},
          {"reasoning", m_reasoningTokens}}},
        {"profile", m_profile.toStdString()},
        {"cut", m_cut},
        {"refused", m_refused},
        {"rejections", toObject(m_rejections)},
        {"p_yes_served", pYesList()},
        {"connections_total", m_connectionsTotal},
        {"connections_open", m_connectionsOpen},
    };
    return QByteArray::fromStdString(j.dump());
}

} // namespace rs::llmserver
