#include "replicapool.h"

#include <algorithm>

namespace rs::llm {

ReplicaPool::ReplicaPool(const QStringList &urls) {
    for (const QString &u : urls)
        m_replicas.push_back(Replica{ReplicaState{u}});
}

std::size_t ReplicaPool::pick() {
    const std::size_t n = m_replicas.size();
    if (n == 0)
        return 0; // never so: a provider has its base URL
    std::size_t best = n;
    const bool up = anyUp();
    // Scanning from the turn pointer makes the first of equals rotate: round robin on ties.
    for (std::size_t k = 0; k < n; ++k) {
        const std::size_t i = (m_turn + k) % n;
        const Replica &r = m_replicas[i];
        if (up) {
            if (!r.state.up)
                continue;
            if (best == n || r.state.inFlight < m_replicas[best].state.inFlight)
                best = i;
        } else if (best == n || r.probeDue < m_replicas[best].probeDue) {
            best = i;
        }
    }
    m_turn = (best + 1) % n;
    return best;
}

bool ReplicaPool::anyUp() const {
    return std::any_of(m_replicas.begin(), m_replicas.end(),
                       [](const Replica &r) { return r.state.up; });
}

void ReplicaPool::finished(std::size_t i, bool answered, bool replicaFault, Clock::time_point now) {
    Replica &r = m_replicas[i];
    r.state.inFlight = std::max(0, r.state.inFlight - 1);
    if (answered) {
        ++r.state.answered;
        // Sent while every replica was down, and answered: as good a sign as a probe.
        r.state.up = true;
        r.backoff = {};
    }
    if (!replicaFault)
        return;
    ++r.state.failed;
    if (tracksHealth() && r.state.up)
        markDown(r, now);
}

void ReplicaPool::markDown(Replica &r, Clock::time_point now) {
    r.state.up = false;
    r.backoff = kFirstBackoff;
    r.probeDue = now + r.backoff;
}

std::vector<std::size_t> ReplicaPool::takeDueProbes(Clock::time_point now) {
    std::vector<std::size_t> due;
    for (std::size_t i = 0; i < m_replicas.size(); ++i) {
        Replica &r = m_replicas[i];
        if (!r.state.up && !r.probing && r.probeDue <= now) {
            r.probing = true;
            due.push_back(i);
        }
    }
    return due;
}

void ReplicaPool::probed(std::size_t i, bool ok, Clock::time_point now) {
    Replica &r = m_replicas[i];
    r.probing = false;
    if (r.state.up)
        return;
    if (ok) {
        r.state.up = true;
        r.backoff = {};
        return;
    }
    r.backoff = std::min<Clock::duration>(r.backoff * 2, kMaxBackoff);
    r.probeDue = now + r.backoff;
}

ReplicaPool::Clock::time_point ReplicaPool::nextProbe() const {
    auto next = Clock::time_point::max();
    for (const Replica &r : m_replicas)
        if (!r.state.up && !r.probing)
            next = std::min(next, r.probeDue);
    return next;
}

std::vector<ReplicaState> ReplicaPool::states() const {
    std::vector<ReplicaState> out;
    out.reserve(m_replicas.size());
    for (const Replica &r : m_replicas)
        out.push_back(r.state);
    return out;
}

} // namespace rs::llm
