#include "rewardrouter.h"

#include "common/boundedjson.h"
#include "livepromptindex.h"
#include "responsetext.h"
#include "rewardservice.h"
#include "servedrewardlog.h"
#include "servemetrics.h"
#include "stepclock.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>

namespace rs::serve {

using nlohmann::json;

namespace {

constexpr auto kReplace = json::error_handler_t::replace;

std::string dumpJson(const json &j) {
    return j.dump(-1, ' ', false, kReplace);
}

HttpResponse jsonResponse(const json &j) {
    HttpResponse r;
    r.body = dumpJson(j);
    return r;
}

/// A few words of a text for an error message naming an item.
std::string excerpt(std::string_view s) {
    constexpr std::size_t kMax = 60;
    std::string out(s.substr(0, kMax));
    // Do not cut a UTF-8 sequence in half.
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80)
        out.pop_back();
    if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0)
        out.pop_back();
    return s.size() > kMax ? out + "…" : out;
}

std::optional<qint64> stepFrom(const HttpRequest &req, const json &body) {
    const std::string_view h = req.header("x-training-step");
    if (!h.empty()) {
        qint64 v = 0;
        auto [end, ec] = std::from_chars(h.data(), h.data() + h.size(), v);
        if (ec == std::errc() && end == h.data() + h.size())
            return v;
    }
    if (body.is_object()) {
        auto it = body.find("step");
        if (it != body.end() && it->is_number_integer())
            return it->get<qint64>();
    }
    return std::nullopt;
}

std::string criteriaJson(const RewardResult &r) {
    json list = json::array();
    for (const CriterionVerdict &v : r.verdicts)
        list.push_back(json{{"id", v.id},
                            {"verdict", v.verdict},
                            {"p_yes", v.pYes < 0 ? json(nullptr) : json(v.pYes)}});
    return dumpJson(list);
}

} // namespace

struct RewardRouter::Parsed {
    struct Entry {
        std::optional<qint64> promptId;
        std::string response;
        std::string name; ///< "item 3 (prompt "…")", for errors
    };
    std::string endpoint;
    std::optional<qint64> step;
    std::vector<Entry> entries;
};

RewardRouter::RewardRouter(RewardService &service, LivePromptIndex &prompts,
                           ServeMetrics &metrics, ServedRewardLog &log, qint64 runId,
                           Options options)
    : m_service(service)
    , m_prompts(prompts)
    , m_metrics(metrics)
    , m_log(log)
    , m_runId(runId)
    , m_auth(options.token)
    , m_options(std::move(options)) {}

void RewardRouter::answer(const HttpServer::Respond &respond, HttpResponse response,
                          Clock::time_point start) {
    m_metrics.countStatus(response.status);
    m_metrics.observeLatency(std::chrono::duration<double>(Clock::now() - start).count());
    respond(std::move(response));
}

void RewardRouter::handle(HttpRequest &&req, const HttpServer::Respond &respond) {
    const auto start = Clock::now();
    const std::string_view path = req.path();
    if (req.method == "GET" && path == "/health")
        return answer(respond, jsonResponse(json{{"status", "ok"}}), start);
    if (req.method == "GET" && path == "/metrics") {
        HttpResponse r;
        r.contentType = "text/plain; version=0.0.4";
        r.body = m_metrics.render(
            m_service.queueDepth(), m_options.openConnections ? m_options.openConnections() : 0,
            m_options.replicas ? m_options.replicas() : std::vector<llm::ReplicaState>{});
        return answer(respond, std::move(r), start);
    }
    const bool known = path == "/get_reward" || path == "/v1/rewards";
    if (!known)
        return answer(respond, errorResponse(404, "no such endpoint: " + excerpt(path)), start);
    if (!m_auth.allows(req.header("authorization"))) {
        HttpResponse r =
            errorResponse(401, "missing or wrong token: send Authorization: Bearer TOKEN,"
                               " or put it in the URL as http://rs:TOKEN@host:port/");
        r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"rubric-studio\"");
        return answer(respond, std::move(r), start);
    }
    if (req.method != "POST") {
        HttpResponse r = errorResponse(405, "use POST for " + std::string(path));
        r.headers.emplace_back("Allow", "POST");
        return answer(respond, std::move(r), start);
    }
    m_metrics.countRequest(path);
    json body = parseBoundedJson(req.body);
    if (body.is_discarded())
        return answer(respond, errorResponse(400, "the body is not valid JSON"), start);
    if (!body.is_object())
        return answer(respond, errorResponse(400, "the body must be a JSON object"), start);
    std::optional<qint64> step = stepFrom(req, body);
    HttpServer::Respond reply = respond;
    if (StepClock *steps = m_options.steps) {
        // The clock sees every reward request come and go: a step ends when none is in flight.
        step = steps->arrive(start, step);
        reply = [steps, respond](HttpResponse r) {
            steps->leave(Clock::now());
            respond(std::move(r));
        };
    }
    if (path == "/get_reward")
        return getReward(body, step, start, reply);
    return nativeRewards(body, step, start, reply);
}

std::optional<qint64> RewardRouter::promptFromLabel(const json &label) const {
    if (label.is_string()) {
        const std::string &s = label.get_ref<const std::string &>();
        if (s.empty())
            return std::nullopt;
        if (s.front() == '{') {
            const json inner = parseBoundedJson(s);
            if (inner.is_object())
                return promptFromLabel(inner);
        }
        return m_prompts.index().byKey(s);
    }
    if (label.is_number_integer())
        return m_prompts.index().byKey(std::to_string(label.get<qint64>()));
    if (label.is_object()) {
        // A rubric object names its prompt; an inline rubric alone is matched by prompt text.
        for (const char *key : {"prompt_hash", "prompt_id", "id", "prompt"}) {
            auto it = label.find(key);
            if (it == label.end())
                continue;
            if (it->is_string())
                if (auto p = m_prompts.index().byKey(it->get_ref<const std::string &>()))
                    return p;
            if (it->is_number_integer())
                if (auto p = m_prompts.index().byKey(std::to_string(it->get<qint64>())))
                    return p;
        }
    }
    return std::nullopt;
}

void RewardRouter::getReward(const json &body, std::optional<qint64> step, Clock::time_point start,
                             const HttpServer::Respond &respond) {
    auto listOf = [&](const char *key, bool required, const json **out) -> std::string {
        auto it = body.find(key);
        if (it == body.end() || it->is_null()) {
            *out = nullptr;
            return required ? std::string("\"") + key + "\" is missing" : std::string();
        }
        if (!it->is_array())
            return std::string("\"") + key + "\" must be a list";
        *out = &*it;
        return {};
    };
    const json *query = nullptr, *prompts = nullptr, *labels = nullptr;
    for (auto [key, req, out] :
         {std::tuple{"query", true, &query}, std::tuple{"prompts", false, &prompts},
          std::tuple{"labels", false, &labels}})
        if (auto bad = listOf(key, req, out); !bad.empty())
            return answer(respond, errorResponse(400, bad), start);
    const std::size_t n = query->size();
    if ((prompts && prompts->size() != n) || (labels && labels->size() != n))
        return answer(respond,
                      errorResponse(400, "\"query\", \"prompts\" and \"labels\" must be as long"),
                      start);

    auto parsed = std::make_shared<Parsed>();
    parsed->endpoint = "/get_reward";
    parsed->step = step;
    for (std::size_t i = 0; i < n; ++i) {
        const json &q = (*query)[i];
        const json *p = prompts ? &(*prompts)[i] : nullptr;
        if (!q.is_string() || (p && !p->is_string() && !p->is_null()))
            return answer(respond,
                          errorResponse(400, "item " + std::to_string(i) +
                                                 ": query and prompt must be strings"),
                          start);
        const std::string_view qs = q.get_ref<const std::string &>();
        const std::string_view ps = p && p->is_string()
                                        ? std::string_view(p->get_ref<const std::string &>())
                                        : std::string_view();
        Parsed::Entry e;
        bool inQuery = false; // no rendered prompt: the project prompt was found in the query
        auto locate = [&]() -> std::optional<qint64> {
            std::optional<qint64> id = labels ? promptFromLabel((*labels)[i]) : std::nullopt;
            if (!id && !ps.empty())
                id = m_prompts.index().byContainedText(ps);
            if (!id && ps.empty())
                inQuery = (id = m_prompts.index().byContainedText(qs)).has_value();
            return id;
        };
        e.promptId = locate();
        if (!e.promptId && m_prompts.refreshIfChanged()) // imported since serve started?
            e.promptId = locate();
        std::string_view response = responseAfterPrompt(qs, ps);
        if (inQuery)
            if (const std::string *t = m_prompts.index().text(*e.promptId))
                response = qs.substr(qs.find(*t) + t->size());
        e.response = std::string(stripEndOfTurn(response));
        e.name =
            "item " + std::to_string(i) + " (prompt \"" + excerpt(ps.empty() ? qs : ps) + "\")";
        parsed->entries.push_back(std::move(e));
    }
    dispatch(parsed, start, respond,
             [](const Parsed &, const std::vector<RewardResult> &rs) {
                 // One fixed set of numeric keys for every sample: trainers batch logs by the first
                 // sample's keys. Per-criterion verdicts go to the served-rewards log instead.
                 json rewards = json::array(), scores = json::array();
                 json soft = json::array(), pass = json::array(), criteria = json::array(),
                      cached = json::array(), unknown = json::array();
                 for (const RewardResult &r : rs) {
                     rewards.push_back(r.reward);
                     scores.push_back(std::clamp(r.reward, 0.0, 1.0));
                     soft.push_back(r.rewardSoft);
                     pass.push_back(r.passFraction);
                     criteria.push_back(r.criteria);
                     cached.push_back(r.cached ? 1 : 0);
                     unknown.push_back(r.responseId == 0 ? 1 : 0);
                 }
                 return dumpJson(json{{"rewards", rewards},
                                      {"scores", scores},
                                      {"extra_logs",
                                       {{"reward_soft", soft},
                                        {"pass_fraction", pass},
                                        {"criteria", criteria},
                                        {"cached", cached},
                                        {"unknown_prompt", unknown}}}});
             });
}

void RewardRouter::nativeRewards(const json &body, std::optional<qint64> step,
                                 Clock::time_point start, const HttpServer::Respond &respond) {
    auto it = body.find("items");
    if (it == body.end() || !it->is_array())
        return answer(respond, errorResponse(400, "\"items\" must be a list"), start);
    auto parsed = std::make_shared<Parsed>();
    parsed->endpoint = "/v1/rewards";
    parsed->step = step;
    std::size_t i = 0;
    for (const json &x : *it) {
        const std::string where = "item " + std::to_string(i++);
        if (!x.is_object())
            return answer(respond, errorResponse(400, where + ": must be an object"), start);
        auto resp = x.find("response");
        if (resp == x.end() || !resp->is_string())
            return answer(respond, errorResponse(400, where + ": \"response\" must be a string"),
                          start);
        if (x.contains("rubric") && !x["rubric"].is_null())
            return answer(respond,
                          errorResponse(422, where + ": inline rubrics are not served;"
                                                     " import the rubric into the project"),
                          start);
        Parsed::Entry e;
        std::string shown;
        auto locate = [&]() -> std::optional<qint64> {
            const PromptIndex &index = m_prompts.index();
            for (const char *key : {"prompt_hash", "prompt_id", "prompt"}) {
                auto k = x.find(key);
                if (k == x.end() || k->is_null())
                    continue;
                std::optional<qint64> id;
                if (k->is_string()) {
                    shown = k->get<std::string>();
                    id = index.byKey(shown);
                } else if (k->is_number_integer()) {
                    shown = std::to_string(k->get<qint64>());
                    id = index.byKey(shown);
                }
                if (id)
                    return id;
            }
            if (x.contains("prompt") && x["prompt"].is_string())
                return index.byContainedText(x["prompt"].get_ref<const std::string &>());
            return std::nullopt;
        };
        e.promptId = locate();
        if (!e.promptId && m_prompts.refreshIfChanged()) // imported since serve started?
            e.promptId = locate();
        e.response = resp->get<std::string>();
        e.name = where + " (prompt \"" + excerpt(shown) + "\")";
        parsed->entries.push_back(std::move(e));
    }
    dispatch(
        parsed, start, respond, [](const Parsed &, const std::vector<RewardResult> &rs) {
            json items = json::array();
            for (const RewardResult &r : rs) {
                json criteria = json::array();
                for (const CriterionVerdict &v : r.verdicts)
                    criteria.push_back(json{{"id", v.id},
                                            {"verdict", v.verdict},
                                            {"p_yes", v.pYes < 0 ? json(nullptr) : json(v.pYes)}});
                json item{{"reward", r.reward},
                          {"reward_soft", r.rewardSoft},
                          {"pass_fraction", r.passFraction},
                          {"criteria", criteria},
                          {"cached", r.cached},
                          {"rubric_version", r.rubricVersion},
                          {"response_id", r.responseId},
                          {"known_prompt", r.responseId != 0}};
                if (r.implicit)
                    item["holistic_score"] =
                        r.holisticScore < 0 ? json(nullptr) : json(r.holisticScore);
                items.push_back(std::move(item));
            }
            return dumpJson(json{{"items", items}});
        });
}

void RewardRouter::dispatch(
    const std::shared_ptr<Parsed> &parsed, Clock::time_point start, const HttpServer::Respond &respond,
    const std::function<std::string(const Parsed &, const std::vector<RewardResult> &)> &shape) {
    m_metrics.countItems(std::int64_t(parsed->entries.size()));
    std::vector<RewardItem> items;
    std::vector<std::size_t> where; // index of each queued item in the request
    std::int64_t unknown = 0;
    for (std::size_t i = 0; i < parsed->entries.size(); ++i) {
        const auto &e = parsed->entries[i];
        if (!e.promptId) {
            ++unknown;
            continue;
        }
        items.push_back(RewardItem{*e.promptId, e.response});
        where.push_back(i);
    }
    if (unknown > 0) {
        m_metrics.countUnknownPrompts(unknown);
        if (!m_options.unknownPromptZero) {
            std::vector<ServedReward> rows;
            std::string first;
            for (const auto &e : parsed->entries)
                if (!e.promptId) {
                    if (first.empty())
                        first = e.name;
                    ServedReward row;
                    row.step = parsed->step;
                    row.endpoint = parsed->endpoint;
                    row.status = "unknown_prompt";
                    row.error = "no project prompt matches " + e.name;
                    rows.push_back(std::move(row));
                }
            m_log.record(std::move(rows));
            return answer(respond,
                          errorResponse(422, first + ": no prompt of the project matches it"
                                                     " (give its prompt hash or id as the label)"),
                          start);
        }
    }

    auto finish = [this, parsed, where, start, respond, shape](std::vector<RewardResult> got) {
        std::vector<RewardResult> all(parsed->entries.size());
        for (std::size_t k = 0; k < where.size() && k < got.size(); ++k)
            all[where[k]] = std::move(got[k]);
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        std::vector<ServedReward> rows;
        std::optional<std::size_t> firstBad;
        for (std::size_t i = 0; i < all.size(); ++i) {
            const auto &e = parsed->entries[i];
            const RewardResult &r = all[i];
            ServedReward row;
            row.step = parsed->step;
            row.endpoint = parsed->endpoint;
            row.promptId = e.promptId.value_or(0);
            row.responseId = r.responseId;
            row.rubricVersion = r.rubricVersion;
            row.runId = m_runId;
            row.responseLength = qint64(e.response.size());
            row.latencyMs = ms;
            row.cached = r.cached;
            if (!e.promptId) {
                row.status = "unknown_prompt";
            } else if (r.status != 200) {
                row.status = "failed";
                row.error = r.error;
                if (!firstBad)
                    firstBad = i;
            } else {
                row.status = "ok";
                row.reward = r.reward;
                row.rewardSoft = r.rewardSoft;
                row.passFraction = r.passFraction;
                row.criteriaJson = criteriaJson(r);
            }
            rows.push_back(std::move(row));
        }
        HttpResponse reply;
        if (firstBad) {
            // A judge failure must never read as a reward of 0: the whole request fails, naming
            // the item, and the trainer retries or drops the sample as it does for any error.
            const RewardResult &r = all[*firstBad];
            reply = errorResponse(r.status, parsed->entries[*firstBad].name + ": " + r.error);
        } else {
            reply.body = shape(*parsed, all);
        }
        // Answered only once the rows are committed: a reward the trainer holds is in the log
        // even if serve is killed right after (from the writer's commit callback: no thread
        // waits for it).
        auto shared = std::make_shared<HttpResponse>(std::move(reply));
        m_log.record(std::move(rows), [this, respond, shared, start] {
            answer(respond, std::move(*shared), start);
        });
    };
    if (items.empty())
        return finish({});
    if (!m_service.submit(std::move(items), finish)) {
        HttpResponse busy = errorResponse(503, "the reward queue is full; retry shortly");
        busy.headers.emplace_back("Retry-After", "1");
        return answer(respond, std::move(busy), start);
    }
}

} // namespace rs::serve
