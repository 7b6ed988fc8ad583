#include "wirebodies.h"
#include "wireprotocol.h"

#include <algorithm>

using nlohmann::json;

namespace rs::llm::wire::detail {

// OpenAI's Responses API: the only way to some models (o3-pro, gpt-5-pro, ...). Judged text is
// sent with store: false, since the API keeps every response by default.
json responsesBody(const ProviderConfig &provider, const ModelCapabilities &caps,
                   const LlmRequest &r) {
    json input = json::array();
    for (const auto &m : r.messages)
        input.push_back({{"role", utf8(m.role)}, {"content", utf8(m.content)}});
    json body = {{"model", utf8(provider.model)},
                 {"input", std::move(input)},
                 {"max_output_tokens", r.maxTokens},
                 {"store", false}};
    if (!r.system.isEmpty())
        body["instructions"] = utf8(r.system);
    if (caps.temperature)
        body["temperature"] = std::clamp(r.temperature, 0.0, caps.temperatureMax);
    if (!r.reasoningEffort.isEmpty() && caps.reasoningEffort &&
        !caps.refusedEfforts.contains(r.reasoningEffort))
        body["reasoning"] = {{"effort", utf8(r.reasoningEffort)}};
    const json schema = schemaOf(r);
    if (r.format == ResponseFormat::JsonSchema && caps.jsonSchema && !schema.is_null())
        body["text"] = {
            {"format",
             {{"type", "json_schema"}, {"name", "answer"}, {"strict", true}, {"schema", schema}}}};
    else if (r.format != ResponseFormat::Text && caps.jsonObject)
        body["text"] = {{"format", {{"type", "json_object"}}}};
    return body;
}

void decodeResponses(const json &j, DecodedAnswer &a) {
    const std::string status = j.value("status", std::string());
    if (status == "incomplete") {
        const json details = j.value("incomplete_details", json::object());
        const std::string reason =
            details.is_object() ? details.value("reason", std::string()) : std::string();
        a.cut = reason == "max_output_tokens" || reason.empty();
        a.refused = reason == "content_filter";
    }
    QString text;
    for (const json &item : j.at("output")) {
        if (!item.is_object() || item.value("type", std::string()) != "message")
            continue; // reasoning items carry no answer
        for (const json &part : item.value("content", json::array())) {
            const std::string type = part.value("type", std::string());
            if (type == "output_text")
                text += qstr(part.value("text", json()));
            else if (type == "refusal") {
                a.refused = true;
                text += qstr(part.value("refusal", json()));
            }
        }
    }
    a.text = text;
    if (auto u = j.find("usage"); u != j.end() && u->is_object()) {
        a.tokensIn = count(*u, "input_tokens");
        a.tokensOut = count(*u, "output_tokens");
        if (auto d = u->find("input_tokens_details"); d != u->end() && d->is_object())
            a.tokensCachedIn = count(*d, "cached_tokens");
        if (auto d = u->find("output_tokens_details"); d != u->end() && d->is_object())
            a.tokensReasoning = count(*d, "reasoning_tokens");
    }
}

} // namespace rs::llm::wire::detail
