#include "wirebodies.h"
#include "wireprotocol.h"

#include <algorithm>

using nlohmann::json;

namespace rs::llm::wire::detail {
namespace {

json messageContent(const ChatMessage &m) {
    // The shared part of a prompt is its own block, marked for Anthropic's prompt cache: only
    // the prefix up to the last marked block is ever cached there.
    if (m.sharedPrefix <= 0)
        return utf8(m.content);
    json blocks = json::array();
    blocks.push_back({{"type", "text"},
                      {"text", utf8(m.content.left(m.sharedPrefix))},
                      {"cache_control", {{"type", "ephemeral"}}}});
    if (m.sharedPrefix < m.content.size())
        blocks.push_back({{"type", "text"}, {"text", utf8(m.content.mid(m.sharedPrefix))}});
    return blocks;
}

std::string anthropicEffort(const QString &effort) {
    if (effort == QLatin1String("minimal"))
        return "low";
    return utf8(effort);
}

} // namespace

json messagesBody(const ProviderConfig &provider, const ModelCapabilities &caps,
                  const LlmRequest &r) {
    json messages = json::array();
    for (const auto &m : r.messages)
        messages.push_back({{"role", utf8(m.role)}, {"content", messageContent(m)}});
    json body = {{"model", utf8(provider.model)},
                 {"messages", std::move(messages)},
                 {"max_tokens", r.maxTokens}};
    if (!r.system.isEmpty())
        body["system"] = utf8(r.system);

    const json schema = schemaOf(r);
    const bool wantsSchema = r.format == ResponseFormat::JsonSchema && !schema.is_null();
    const bool forcedTool =
        wantsSchema && caps.tools && (r.schemaVia == SchemaVia::Tool || !caps.jsonSchema);
    json outputConfig = json::object();
    if (wantsSchema && !forcedTool && caps.jsonSchema)
        outputConfig["format"] = {{"type", "json_schema"}, {"schema", schema}};
    if (forcedTool) {
        body["tools"] = json::array({{{"name", "answer"},
                                      {"description", "Record the answer."},
                                      {"input_schema", schema}}});
        body["tool_choice"] = {{"type", "tool"}, {"name", "answer"}};
    }

    bool thinking = false;
    const bool effortOk = caps.reasoningEffort && !caps.refusedEfforts.contains(r.reasoningEffort);
    if (forcedTool) {
        // Forced tool use is refused while thinking is on; models that think by default need it
        // switched off explicitly.
        if (caps.thinkingOffForTools)
            body["thinking"] = {{"type", "disabled"}};
    } else if (r.thinkingBudget > 0 && caps.thinkingEnabled) {
        const int budget = std::max(1024, r.thinkingBudget);
        body["thinking"] = {{"type", "enabled"}, {"budget_tokens", budget}};
        body["max_tokens"] = r.maxTokens + budget; // the budget must stay below max_tokens
        thinking = true;
    } else if (r.reasoningEffort == QLatin1String("none")) {
        body["thinking"] = {{"type", "disabled"}};
    } else if (!r.reasoningEffort.isEmpty() || r.thinkingBudget > 0) {
        body["thinking"] = {{"type", "adaptive"}};
        if (effortOk && !r.reasoningEffort.isEmpty())
            outputConfig["effort"] = anthropicEffort(r.reasoningEffort);
        thinking = true;
    }
    if (!outputConfig.empty())
        body["output_config"] = std::move(outputConfig);
    if (caps.temperature && !thinking)
        body["temperature"] = std::clamp(r.temperature, 0.0, caps.temperatureMax);
    return body;
}

void decodeMessages(const json &j, DecodedAnswer &a) {
    QString text;
    for (const json &block : j.at("content")) {
        const std::string type = block.value("type", std::string());
        if (type == "text")
            text += qstr(block.value("text", json()));
        else if (type == "tool_use")
            text += QString::fromStdString(block.value("input", json::object()).dump());
    }
    a.text = text;
    const std::string stop = j.value("stop_reason", std::string());
    a.cut = stop == "max_tokens";
    a.refused = stop == "refusal";
    a.contextExceeded = stop == "model_context_window_exceeded";
    if (auto u = j.find("usage"); u != j.end() && u->is_object()) {
        // Cache reads and writes are not part of input_tokens there.
        a.tokensCachedIn = count(*u, "cache_read_input_tokens");
        a.tokensCacheWrite = count(*u, "cache_creation_input_tokens");
        a.tokensIn = count(*u, "input_tokens") + a.tokensCachedIn + a.tokensCacheWrite;
        a.tokensOut = count(*u, "output_tokens");
        if (auto d = u->find("output_tokens_details"); d != u->end() && d->is_object())
            a.tokensReasoning =
                std::max(count(*d, "thinking_tokens"), count(*d, "reasoning_tokens"));
    }
}

} // namespace rs::llm::wire::detail
