#pragma once

#include <QString>
#include <QStringList>

#include <chrono>
#include <cstdint>
#include <vector>

namespace rs::llm {

/// What the scheduler knows about one replica of a provider, for `replicaStates` and /metrics.
struct ReplicaState {
    QString url;
    bool up = true;
    int inFlight = 0;
    std::int64_t answered = 0; ///< requests it answered with 200
    std::int64_t failed = 0;   ///< requests lost to a connection error, a timeout or a 5xx
};

/// The base URLs of one provider that serve the same model (vLLM or SGLang judge replicas),
/// and which of them are healthy. Pure bookkeeping, touched by the scheduler's worker thread
/// only: the worker sends, probes and reports, the pool decides where to.
///
/// A replica that fails is marked down and is not chosen again until a probe of it answers;
/// probes back off from 1 s, doubling to 30 s, so a dead replica costs one cheap GET now and
/// then rather than a share of the real requests.
class ReplicaPool final {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr auto kFirstBackoff = std::chrono::seconds(1);
    static constexpr auto kMaxBackoff = std::chrono::seconds(30);

    explicit ReplicaPool(const QStringList &urls = {});

    std::size_t size() const { return m_replicas.size(); }
    /// One URL: there is nowhere else to send, so health is not tracked (the old behaviour).
    bool tracksHealth() const { return m_replicas.size() > 1; }
    const QString &url(std::size_t i) const { return m_replicas[i].state.url; }

    /// The replica for the next request: the healthy one with the fewest requests in flight,
    /// ties taken in turn. When every replica is down, the one to be probed soonest: the
    /// request then fails or succeeds under the normal retry rules instead of waiting forever.
    std::size_t pick();
    bool anyUp() const;

    void started(std::size_t i) { ++m_replicas[i].state.inFlight; }
    /// A request's end; `replicaFault` (connection error, timeout, 5xx) marks the replica down.
    void finished(std::size_t i, bool answered, bool replicaFault, Clock::time_point now);

    /// Down replicas whose probe is due and not yet running; marks them as being probed.
    std::vector<std::size_t> takeDueProbes(Clock::time_point now);
    /// A probe answered 200 (`ok`) or did not: up again, or the next probe after a longer wait.
    void probed(std::size_t i, bool ok, Clock::time_point now);
    /// When the next probe falls due; Clock::time_point::max() when none is.
    Clock::time_point nextProbe() const;

    std::vector<ReplicaState> states() const;

private:
    struct Replica {
        ReplicaState state;
        Clock::duration backoff{};
        Clock::time_point probeDue{};
        bool probing = false;
    };
    void markDown(Replica &r, Clock::time_point now);

    std::vector<Replica> m_replicas;
    std::size_t m_turn = 0; ///< where the next tie-break starts
};

} // namespace rs::llm
