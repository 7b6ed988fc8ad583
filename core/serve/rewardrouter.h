#pragma once

#include "httpserver.h"
#include "llm/replicapool.h"
#include "requestauth.h"

#include <nlohmann/json_fwd.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace rs::serve {

class LivePromptIndex;
class RewardService;
class ServeMetrics;
class ServedRewardLog;
class StepClock;
struct RewardItem;
struct RewardResult;

/// The server's endpoints: POST /get_reward (OpenRLHF), POST /v1/rewards (native), GET /health,
/// GET /metrics. Checks credentials, turns request JSON into RewardItems (finding each item's
/// prompt and cutting its response out of the query), hands them to the RewardService and
/// shapes its results; every answered item is logged. Errors are JSON {"error": ...}.
class RewardRouter final {
public:
    struct Options {
        std::string token;              ///< empty: no auth
        bool unknownPromptZero = false; ///< --unknown-prompt zero: reward 0 instead of 422
        std::function<std::int64_t()> openConnections;
        std::function<std::vector<llm::ReplicaState>()> replicas; ///< the judge's, for /metrics
        /// Numbers the steps of requests that name none; null: such rewards have no step.
        StepClock *steps = nullptr;
    };

    RewardRouter(RewardService &service, LivePromptIndex &prompts, ServeMetrics &metrics,
                 ServedRewardLog &log, qint64 runId, Options options);

    /// The HttpServer handler; runs on the I/O thread and never blocks on judging.
    void handle(HttpRequest &&request, const HttpServer::Respond &respond);

private:
    using Clock = std::chrono::steady_clock;
    struct Parsed; // the items of one request, in order, with what the log needs

    void getReward(const nlohmann::json &body, std::optional<qint64> step, Clock::time_point start,
                   const HttpServer::Respond &respond);
    void nativeRewards(const nlohmann::json &body, std::optional<qint64> step,
                       Clock::time_point start, const HttpServer::Respond &respond);
    /// Queues the known items; unknown ones are answered by policy. `shape` builds the 200 body.
    void
    dispatch(const std::shared_ptr<Parsed> &parsed, Clock::time_point start, const HttpServer::Respond &respond,
             const std::function<std::string(const Parsed &, const std::vector<RewardResult> &)> &shape);
    std::optional<qint64> promptFromLabel(const nlohmann::json &label) const;
    void answer(const HttpServer::Respond &respond, HttpResponse response, Clock::time_point start);

    RewardService &m_service;
    LivePromptIndex &m_prompts; ///< rebuilt on a miss when the project has new prompts
    ServeMetrics &m_metrics;
    ServedRewardLog &m_log;
    qint64 m_runId = 0;
    RequestAuth m_auth;
    Options m_options;
};

} // namespace rs::serve
