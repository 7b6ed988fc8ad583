#include "openaidialect.h"

#include <QDateTime>

namespace rs::llmserver {

using nlohmann::ordered_json;

std::optional<ChatRequest> OpenAiDialect::parseRequest(const ordered_json &body,
                                                       QString *error) const {
    if (!body.is_object()) {
        *error = QStringLiteral("the request body must be a JSON object");
        return std::nullopt;
    }
    ChatRequest req;
    const auto model = body.find("model");
    if (model == body.end() || !model->is_string()) {
        *error = QStringLiteral("'model' is required and must be a string");
        return std::nullopt;
    }
    req.model = QString::fromStdString(model->get<std::string>());
    const auto messages = body.find("messages");
    if (messages == body.end() || !messages->is_array() || messages->empty()) {
        *error = QStringLiteral("'messages' must be a non-empty array");
        return std::nullopt;
    }
    QStringList system;
    for (const auto &m : *messages) {
        const auto role = m.is_object() ? m.find("role") : m.end();
        if (!m.is_object() || role == m.end() || !role->is_string()) {
            *error = QStringLiteral("every message needs a string 'role'");
            return std::nullopt;
        }
        QString text;
        if (!ChatRequest::contentText(m.value("content", ordered_json()), &text)) {
            *error = QStringLiteral("a message 'content' must be a string or an array of parts");
            return std::nullopt;
        }
        const QString roleName = QString::fromStdString(role->get<std::string>());
        if (roleName == QLatin1String("system") || roleName == QLatin1String("developer"))
            system.append(text);
        else
            req.messages.append({roleName, text});
    }
    req.system = system.join(QLatin1Char('\n'));
    if (const auto s = body.find("stream"); s != body.end() && s->is_boolean())
        req.stream = s->get<bool>();
    if (const auto o = body.find("stream_options"); o != body.end() && o->is_object())
        req.streamUsage = o->value("include_usage", false);
    return req;
}

QString OpenAiDialect::responseId(quint64 serial) const {
    return QStringLiteral("chatcmpl-rs%1").arg(serial, 8, 10, QLatin1Char('0'));
}

ordered_json OpenAiDialect::completion(const ChatRequest &request, const QString &id,
                                       const QString &answer, Usage usage) const {
    return {
        {"id", utf8(id)},
        {"object", "chat.completion"},
        {"created", QDateTime::currentSecsSinceEpoch()},
        {"model", utf8(request.model)},
        {"choices",
         ordered_json::array({{{"index", 0},
                               {"message", {{"role", "assistant"}, {"content", utf8(answer)}}},
                               {"finish_reason", "stop"}}})},
        {"usage",
         {{"prompt_tokens", usage.input},
          {"completion_tokens", usage.output},
          {"total_tokens", usage.input + usage.output}}},
    };
}

QByteArray OpenAiDialect::stream(const ChatRequest &request, const QString &id,
                                 const QString &answer, Usage usage) const {
    const qint64 created = QDateTime::currentSecsSinceEpoch();
    const auto chunk = [&](ordered_json delta, ordered_json finish) {
        return ordered_json{
            {"id", utf8(id)},
            {"object", "chat.completion.chunk"},
            {"created", created},
            {"model", utf8(request.model)},
            {"choices", ordered_json::array({{{"index", 0},
                                              {"delta", std::move(delta)},
                                              {"finish_reason", std::move(finish)}}})},
        };
    };
    QByteArray out;
    const auto event = [&](const ordered_json &j) { out += "data: " + dump(j) + "\n\n"; };
    event(chunk({{"role", "assistant"}, {"content", ""}}, nullptr));
    for (const QString &piece : streamPieces(answer))
        event(chunk({{"content", utf8(piece)}}, nullptr));
    event(chunk(ordered_json::object(), "stop"));
    if (request.streamUsage) {
        ordered_json last = chunk(ordered_json::object(), nullptr);
        last["choices"] = ordered_json::array();
        last["usage"] = {{"prompt_tokens", usage.input},
                         {"completion_tokens", usage.output},
                         {"total_tokens", usage.input + usage.output}};
        event(last);
    }
    out += "data: [DONE]\n\n";
    return out;
}

ordered_json OpenAiDialect::error(int status, const QString &message) const {
    const char *type = "invalid_request_error";
    ordered_json code = nullptr;
    if (status == 429) {
        type = "requests";
        code = "rate_limit_exceeded";
    } else if (status == 404) {
        code = "not_found";
    } else if (status >= 500) {
        type = "server_error";
        if (status == 503)
            code = "service_unavailable";
    }
    return {{"error",
             {{"message", utf8(message)}, {"type", type}, {"param", nullptr}, {"code", code}}}};
}

} // namespace rs::llmserver
