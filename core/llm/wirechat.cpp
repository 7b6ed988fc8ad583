#include "wirebodies.h"
#include "wireprotocol.h"

#include <algorithm>

using nlohmann::json;

namespace rs::llm::wire::detail {

json chatBody(const ProviderConfig &provider, const ModelCapabilities &caps, const LlmRequest &r) {
    json messages = json::array();
    if (!r.system.isEmpty())
        messages.push_back({{"role", "system"}, {"content", utf8(r.system)}});
    for (const auto &m : r.messages)
        messages.push_back({{"role", utf8(m.role)}, {"content", utf8(m.content)}});
    json body = {{"model", utf8(provider.model)}, {"messages", std::move(messages)}};
    body[caps.maxCompletionTokens ? "max_completion_tokens" : "max_tokens"] = r.maxTokens;
    if (caps.temperature)
        body["temperature"] = std::clamp(r.temperature, 0.0, caps.temperatureMax);
    if (r.seed && caps.seed)
        body["seed"] = *r.seed;
    if (r.logprobs && caps.logprobs) {
        body["logprobs"] = true;
        body["top_logprobs"] = std::clamp(r.topLogprobs, 0, 20);
    }
    if (!r.reasoningEffort.isEmpty() && caps.reasoningEffort &&
        !caps.refusedEfforts.contains(r.reasoningEffort))
        body["reasoning_effort"] = utf8(r.reasoningEffort);
    const json schema = schemaOf(r);
    if (r.format == ResponseFormat::JsonSchema && caps.jsonSchema && !schema.is_null())
        body["response_format"] = {
            {"type", "json_schema"},
            {"json_schema", {{"name", "answer"}, {"strict", true}, {"schema", schema}}}};
    else if (r.format != ResponseFormat::Text && caps.jsonObject)
        body["response_format"] = {{"type", "json_object"}};
    return body;
}

void decodeChat(const json &j, DecodedAnswer &a) {
    const json &choice = j.at("choices").at(0);
    const json &msg = choice.at("message");
    const std::string finish = choice.value("finish_reason", std::string());
    const json refusal = msg.value("refusal", json());
    const json calls = msg.value("tool_calls", json());
    if (refusal.is_string()) {
        a.refused = true;
        a.text = qstr(refusal);
    } else if (calls.is_array() && !calls.empty()) {
        a.text = qstr(calls[0].value("function", json::object()).value("arguments", json()));
    } else {
        a.text = qstr(msg.at("content")); // null content (no answer) reads as ""
    }
    a.cut = finish == "length";
    a.refused = a.refused || finish == "content_filter";
    if (auto lp = choice.find("logprobs"); lp != choice.end() && lp->is_object()) {
        const json &content = lp->value("content", json::array());
        if (content.is_array() && !content.empty()) {
            const json &first = content[0];
            const json &top = first.value("top_logprobs", json::array());
            for (const json &alt : top)
                if (alt.is_object() && alt.contains("logprob") && alt["logprob"].is_number())
                    a.firstTokenLogprobs.push_back(
                        {qstr(alt.value("token", json())), alt["logprob"].get<double>()});
            if (a.firstTokenLogprobs.isEmpty() && first.contains("logprob") &&
                first["logprob"].is_number())
                a.firstTokenLogprobs.push_back(
                    {qstr(first.value("token", json())), first["logprob"].get<double>()});
        }
    }
    if (auto u = j.find("usage"); u != j.end() && u->is_object()) {
        a.tokensIn = count(*u, "prompt_tokens");
        a.tokensOut = count(*u, "completion_tokens");
        if (auto d = u->find("prompt_tokens_details"); d != u->end() && d->is_object())
            a.tokensCachedIn = count(*d, "cached_tokens"); // part of prompt_tokens
        if (auto d = u->find("completion_tokens_details"); d != u->end() && d->is_object())
            a.tokensReasoning = count(*d, "reasoning_tokens"); // part of completion_tokens
    }
}

} // namespace rs::llm::wire::detail
