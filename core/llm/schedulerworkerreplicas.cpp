// The replica side of SchedulerWorker: health probes of down replicas and the published view
// of every replica's state. Kept apart from the request path in schedulerworker.cpp.
#include "schedulerworker.h"

#include <curl/curl.h>

namespace rs::llm {
namespace {

constexpr long kProbeTimeoutMs = 5000;

size_t onProbeBody(char *data, size_t size, size_t n, void *user) {
    auto *out = static_cast<std::string *>(user);
    if (out->size() < 4096) // the answer is not read; only its status matters
        out->append(data, std::min<size_t>(size * n, 4096 - out->size()));
    return size * n;
}

std::string modelsUrl(const QString &base) {
    std::string b = base.toStdString();
    while (!b.empty() && b.back() == '/')
        b.pop_back();
    return b + "/models";
}

} // namespace

void SchedulerWorker::startProbes(ProviderState *ps, Clock::time_point now) {
    for (const std::size_t i : ps->replicas.takeDueProbes(now)) {
        auto probe = std::make_unique<Probe>();
        probe->provider = ps;
        probe->replica = i;
        // The same key as the real requests: vLLM started with --api-key wants it on /models too.
        if (!ps->probeKey.isEmpty()) {
            const std::string auth = ps->config.kind == ProviderKind::Anthropic
                                         ? "x-api-key: " + ps->probeKey.toStdString()
                                         : "Authorization: Bearer " + ps->probeKey.toStdString();
            probe->headers = curl_slist_append(probe->headers, auth.c_str());
        }
        if (ps->config.kind == ProviderKind::Anthropic)
            probe->headers = curl_slist_append(probe->headers, "anthropic-version: 2023-06-01");
        CURL *e = takeEasy();
        const std::string url = modelsUrl(ps->replicas.url(i));
        curl_easy_setopt(e, CURLOPT_URL, url.c_str()); // curl copies the string
        curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, probe->headers);
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, onProbeBody);
        curl_easy_setopt(e, CURLOPT_WRITEDATA, &probe->response);
        curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, kProbeTimeoutMs);
        curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
        curl_multi_add_handle(m_multi, e);
        m_probes.emplace(e, std::move(probe));
    }
}

void SchedulerWorker::finishProbe(CURL *easy, int curlCode) {
    auto node = m_probes.extract(easy);
    Probe &probe = *node.mapped();
    long status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    curl_multi_remove_handle(m_multi, easy);
    curl_slist_free_all(probe.headers);
    m_idleEasy.push_back(easy);
    probe.provider->replicas.probed(probe.replica, curlCode == CURLE_OK && status == 200,
                                    Clock::now());
    m_replicasChanged = true;
}

void SchedulerWorker::publishReplicas() {
    m_replicasChanged = false;
    std::unordered_map<std::string, std::vector<ReplicaState>> states;
    for (const auto &[key, ps] : m_providers) {
        auto &slot = states[ps->config.name.toStdString()];
        for (auto &s : ps->replicas.states())
            slot.push_back(std::move(s));
    }
    std::lock_guard lock(m_replicaMutex);
    m_replicaStates.swap(states);
}

std::vector<ReplicaState> SchedulerWorker::replicaStates(const QString &providerName) const {
    std::lock_guard lock(m_replicaMutex);
    const auto it = m_replicaStates.find(providerName.toStdString());
    return it == m_replicaStates.end() ? std::vector<ReplicaState>{} : it->second;
}

} // namespace rs::llm
