#include "anthropicdialect.h"

namespace rs::llmserver {

using nlohmann::ordered_json;

std::optional<ChatRequest> AnthropicDialect::parseRequest(const ordered_json &body,
                                                          QString *error) const {
    if (!body.is_object()) {
        *error = QStringLiteral("the request body must be a JSON object");
        return std::nullopt;
    }
    ChatRequest req;
    const auto model = body.find("model");
    if (model == body.end() || !model->is_string()) {
        *error = QStringLiteral("model: Field required (a string)");
        return std::nullopt;
    }
    req.model = QString::fromStdString(model->get<std::string>());
    if (const auto system = body.find("system"); system != body.end()) {
        if (!ChatRequest::contentText(*system, &req.system)) {
            *error = QStringLiteral("system: must be a string or a list of text blocks");
            return std::nullopt;
        }
        ChatRequest::cacheControlEnds(*system, 0, &req.gen.cacheMarks);
    }
    const auto messages = body.find("messages");
    if (messages == body.end() || !messages->is_array() || messages->empty()) {
        *error = QStringLiteral("messages: must be a non-empty list");
        return std::nullopt;
    }
    for (const auto &m : *messages) {
        const auto role = m.is_object() ? m.find("role") : m.end();
        if (!m.is_object() || role == m.end() || !role->is_string() ||
            (*role != "user" && *role != "assistant")) {
            *error = QStringLiteral("messages: each role must be \"user\" or \"assistant\"");
            return std::nullopt;
        }
        QString text;
        if (!ChatRequest::contentText(m.value("content", ordered_json()), &text)) {
            *error = QStringLiteral("messages: content must be a string or a list of blocks");
            return std::nullopt;
        }
        // Cache marks are offsets into cacheText(): the system prompt, then every message.
        qsizetype base = req.system.size();
        for (const ChatMessage &earlier : std::as_const(req.messages))
            base += earlier.text.size();
        ChatRequest::cacheControlEnds(m.value("content", ordered_json()), base,
                                      &req.gen.cacheMarks);
        req.messages.append({QString::fromStdString(role->get<std::string>()), text});
    }
    // A top-level cache_control caches everything up to the last block.
    if (body.contains("cache_control"))
        req.gen.cacheMarks.append(req.cacheText().size());
    if (const auto s = body.find("stream"); s != body.end() && s->is_boolean())
        req.stream = s->get<bool>();
    return req;
}

QString AnthropicDialect::responseId(quint64 serial) const {
    return QStringLiteral("msg_rs%1").arg(serial, 8, 10, QLatin1Char('0'));
}

namespace {

const char *stopReason(Finish finish) {
    switch (finish) {
    case Finish::Length:
        return "max_tokens";
    case Finish::Refusal:
        return "refusal";
    case Finish::ToolUse:
        return "tool_use";
    case Finish::Stop:
        break;
    }
    return "end_turn";
}

ordered_json anthropicUsage(const Outcome &o, qint64 outputTokens) {
    if (!o.detailed)
        return {{"input_tokens", o.usage.input}, {"output_tokens", outputTokens}};
    // Cache reads and writes are not part of input_tokens in this API.
    return {{"input_tokens", o.usage.input},
            {"cache_creation_input_tokens", o.cacheCreationTokens},
            {"cache_read_input_tokens", o.cachedTokens},
            {"output_tokens", outputTokens}};
}

} // namespace

ordered_json AnthropicDialect::completion(const ChatRequest &request, const QString &id,
                                          const Outcome &outcome) const {
    ordered_json content = ordered_json::array();
    if (!outcome.thinking.isEmpty())
        content.push_back({{"type", "thinking"},
                           {"thinking", utf8(outcome.thinking)},
                           {"signature", "rs-test-signature"}});
    if (outcome.finish == Finish::Refusal) {
        // A refusal carries no answer text.
    } else if (outcome.toolInput) {
        content.push_back({{"type", "tool_use"},
                           {"id", "toolu_" + utf8(id.mid(4))},
                           {"name", utf8(outcome.toolName)},
                           {"input", *outcome.toolInput}});
    } else {
        content.push_back({{"type", "text"}, {"text", utf8(outcome.text)}});
    }
    ordered_json out{
        {"id", utf8(id)},
        {"type", "message"},
        {"role", "assistant"},
        {"model", utf8(request.model)},
        {"content", std::move(content)},
        {"stop_reason", stopReason(outcome.finish)},
        {"stop_sequence", nullptr},
    };
    if (outcome.finish == Finish::Refusal)
        out["stop_details"] = {{"type", "refusal"}, {"category", "test"}};
    out["usage"] = anthropicUsage(outcome, outcome.usage.output);
    if (outcome.detailed && outcome.reasoningTokens > 0)
        out["usage"]["output_tokens_details"] = {{"thinking_tokens", outcome.reasoningTokens}};
    return out;
}

QByteArray AnthropicDialect::stream(const ChatRequest &request, const QString &id,
                                    const Outcome &outcome) const {
    QByteArray out;
    const auto event = [&](const char *type, const ordered_json &data) {
        out += QByteArray("event: ") + type + "\ndata: " + dump(data) + "\n\n";
    };
    Outcome empty = outcome;
    empty.text.clear();
    empty.thinking.clear();
    empty.toolInput.reset();
    ordered_json start = completion(request, id, empty);
    start["content"] = ordered_json::array();
    start["stop_reason"] = nullptr;
    start.erase("stop_details");
    start["usage"] = anthropicUsage(outcome, 0);
    event("message_start", {{"type", "message_start"}, {"message", start}});
    if (outcome.finish != Finish::Refusal) {
        // Tool answers stream as input_json_delta pieces of the JSON text.
        const bool tool = outcome.toolInput.has_value();
        const QString body = tool ? QString::fromUtf8(dump(*outcome.toolInput)) : outcome.text;
        ordered_json block = tool ? ordered_json{{"type", "tool_use"},
                                                 {"id", "toolu_" + utf8(id.mid(4))},
                                                 {"name", utf8(outcome.toolName)},
                                                 {"input", ordered_json::object()}}
                                  : ordered_json{{"type", "text"}, {"text", ""}};
        event("content_block_start",
              {{"type", "content_block_start"}, {"index", 0}, {"content_block", block}});
        for (const QString &piece : streamPieces(body)) {
            const ordered_json delta =
                tool ? ordered_json{{"type", "input_json_delta"}, {"partial_json", utf8(piece)}}
                     : ordered_json{{"type", "text_delta"}, {"text", utf8(piece)}};
            event("content_block_delta",
                  {{"type", "content_block_delta"}, {"index", 0}, {"delta", delta}});
        }
        event("content_block_stop", {{"type", "content_block_stop"}, {"index", 0}});
    }
    event("message_delta",
          {{"type", "message_delta"},
           {"delta", {{"stop_reason", stopReason(outcome.finish)}, {"stop_sequence", nullptr}}},
           {"usage", {{"output_tokens", outcome.usage.output}}}});
    event("message_stop", {{"type", "message_stop"}});
    return out;
}

ordered_json AnthropicDialect::error(int status, const QString &message) const {
    const char *type = "invalid_request_error";
    switch (status) {
    case 403:
        type = "permission_error";
        break;
    case 404:
        type = "not_found_error";
        break;
    case 429:
        type = "rate_limit_error";
        break;
    case 500:
        type = "api_error";
        break;
    case 503:
        type = "overloaded_error";
        break;
    default:
        break;
    }
    return {{"type", "error"}, {"error", {{"type", type}, {"message", utf8(message)}}}};
}

} // namespace rs::llmserver
