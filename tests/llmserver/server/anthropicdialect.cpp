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
        req.messages.append({QString::fromStdString(role->get<std::string>()), text});
    }
    if (const auto s = body.find("stream"); s != body.end() && s->is_boolean())
        req.stream = s->get<bool>();
    return req;
}

QString AnthropicDialect::responseId(quint64 serial) const {
    return QStringLiteral("msg_rs%1").arg(serial, 8, 10, QLatin1Char('0'));
}

ordered_json AnthropicDialect::completion(const ChatRequest &request, const QString &id,
                                          const QString &answer, Usage usage) const {
    return {
        {"id", utf8(id)},
        {"type", "message"},
        {"role", "assistant"},
        {"model", utf8(request.model)},
        {"content", ordered_json::array({{{"type", "text"}, {"text", utf8(answer)}}})},
        {"stop_reason", "end_turn"},
        {"stop_sequence", nullptr},
        {"usage", {{"input_tokens", usage.input}, {"output_tokens", usage.output}}},
    };
}

QByteArray AnthropicDialect::stream(const ChatRequest &request, const QString &id,
                                    const QString &answer, Usage usage) const {
    QByteArray out;
    const auto event = [&](const char *type, const ordered_json &data) {
        out += QByteArray("event: ") + type + "\ndata: " + dump(data) + "\n\n";
    };
    ordered_json start = completion(request, id, QString(), {usage.input, 0});
    start["content"] = ordered_json::array();
    start["stop_reason"] = nullptr;
    event("message_start", {{"type", "message_start"}, {"message", start}});
    event("content_block_start", {{"type", "content_block_start"},
                                  {"index", 0},
                                  {"content_block", {{"type", "text"}, {"text", ""}}}});
    for (const QString &piece : streamPieces(answer))
        event("content_block_delta", {{"type", "content_block_delta"},
                                      {"index", 0},
                                      {"delta", {{"type", "text_delta"}, {"text", utf8(piece)}}}});
    event("content_block_stop", {{"type", "content_block_stop"}, {"index", 0}});
    event("message_delta", {{"type", "message_delta"},
                            {"delta", {{"stop_reason", "end_turn"}, {"stop_sequence", nullptr}}},
                            {"usage", {{"output_tokens", usage.output}}}});
    event("message_stop", {{"type", "message_stop"}});
    return out;
}

ordered_json AnthropicDialect::error(int status, const QString &message) const {
    const char *type = "invalid_request_error";
    switch (status) {
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
