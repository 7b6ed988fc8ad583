#include "responsesdialect.h"

#include <QDateTime>

namespace rs::llmserver {

using nlohmann::ordered_json;

namespace {

// Input content parts are "input_text" (user) or "output_text" (an earlier assistant turn).
bool responsesContent(const ordered_json &content, QString *out) {
    out->clear();
    if (content.is_string()) {
        *out = QString::fromStdString(content.get<std::string>());
        return true;
    }
    if (!content.is_array())
        return false;
    QStringList parts;
    for (const auto &part : content) {
        const std::string type = part.is_object() ? part.value("type", std::string()) : "";
        if (type != "input_text" && type != "output_text" && type != "text")
            continue;
        const auto text = part.find("text");
        if (text == part.end() || !text->is_string())
            return false;
        parts.append(QString::fromStdString(text->get<std::string>()));
    }
    *out = parts.join(QLatin1Char('\n'));
    return true;
}

} // namespace

std::optional<ChatRequest> ResponsesDialect::parseRequest(const ordered_json &body,
                                                          QString *error) const {
    if (!body.is_object()) {
        *error = QStringLiteral("the request body must be a JSON object");
        return std::nullopt;
    }
    ChatRequest req;
    const auto model = body.find("model");
    if (model == body.end() || !model->is_string()) {
        *error = QStringLiteral("Missing required parameter: 'model'.");
        return std::nullopt;
    }
    req.model = QString::fromStdString(model->get<std::string>());
    if (const auto instructions = body.find("instructions");
        instructions != body.end() && instructions->is_string())
        req.system = QString::fromStdString(instructions->get<std::string>());
    const auto input = body.find("input");
    if (input == body.end() || (!input->is_string() && !input->is_array())) {
        *error = QStringLiteral("Missing required parameter: 'input'.");
        return std::nullopt;
    }
    if (input->is_string()) {
        req.messages.append(
            {QStringLiteral("user"), QString::fromStdString(input->get<std::string>())});
    } else {
        QStringList system;
        if (!req.system.isEmpty())
            system.append(req.system);
        for (const auto &item : *input) {
            if (!item.is_object() || item.value("type", std::string("message")) != "message")
                continue; // reasoning items, tool outputs: not part of the conversation text
            const auto role = item.find("role");
            QString text;
            if (role == item.end() || !role->is_string() ||
                !responsesContent(item.value("content", ordered_json()), &text)) {
                *error = QStringLiteral("Invalid 'input': every message needs a 'role' and a "
                                        "string or list 'content'.");
                return std::nullopt;
            }
            const QString roleName = QString::fromStdString(role->get<std::string>());
            if (roleName == QLatin1String("system") || roleName == QLatin1String("developer"))
                system.append(text);
            else
                req.messages.append({roleName, text});
        }
        req.system = system.join(QLatin1Char('\n'));
    }
    if (const auto s = body.find("stream"); s != body.end() && s->is_boolean())
        req.stream = s->get<bool>();
    return req;
}

QString ResponsesDialect::responseId(quint64 serial) const {
    return QStringLiteral("resp_rs%1").arg(serial, 8, 10, QLatin1Char('0'));
}

ordered_json ResponsesDialect::completion(const ChatRequest &request, const QString &id,
                                          const Outcome &outcome) const {
    const bool cut = outcome.finish == Finish::Length;
    const std::string serial = utf8(id.mid(7));
    ordered_json output = ordered_json::array();
    if (outcome.reasoningTokens > 0)
        output.push_back(
            {{"id", "rs_" + serial}, {"type", "reasoning"}, {"summary", ordered_json::array()}});
    ordered_json content = ordered_json::array();
    if (outcome.finish == Finish::Refusal)
        content.push_back({{"type", "refusal"}, {"refusal", utf8(outcome.refusal)}});
    else if (!outcome.text.isEmpty() || !cut)
        content.push_back({{"type", "output_text"},
                           {"text", utf8(outcome.text)},
                           {"annotations", ordered_json::array()}});
    // A budget spent entirely on reasoning leaves no message item at all.
    if (!content.empty())
        output.push_back({{"id", "msg_" + serial},
                          {"type", "message"},
                          {"status", cut ? "incomplete" : "completed"},
                          {"role", "assistant"},
                          {"content", std::move(content)}});
    return {
        {"id", utf8(id)},
        {"object", "response"},
        {"created_at", QDateTime::currentSecsSinceEpoch()},
        {"status", cut ? "incomplete" : "completed"},
        {"incomplete_details",
         cut ? ordered_json{{"reason", "max_output_tokens"}} : ordered_json()},
        {"model", utf8(request.model)},
        {"output", std::move(output)},
        {"usage",
         {{"input_tokens", outcome.usage.input},
          {"input_tokens_details", {{"cached_tokens", outcome.cachedTokens}}},
          {"output_tokens", outcome.usage.output},
          {"output_tokens_details", {{"reasoning_tokens", outcome.reasoningTokens}}},
          {"total_tokens", outcome.usage.input + outcome.usage.output}}},
    };
}

QByteArray ResponsesDialect::stream(const ChatRequest &request, const QString &id,
                                    const Outcome &outcome) const {
    QByteArray out;
    int sequence = 0;
    const auto event = [&](const char *type, ordered_json data) {
        data["type"] = type;
        data["sequence_number"] = sequence++;
        out += QByteArray("event: ") + type + "\ndata: " + dump(data) + "\n\n";
    };
    const ordered_json done = completion(request, id, outcome);
    ordered_json created = done;
    created["status"] = "in_progress";
    created["output"] = ordered_json::array();
    created["incomplete_details"] = nullptr;
    event("response.created", {{"response", created}});
    if (outcome.finish != Finish::Refusal) {
        const std::string item = "msg_" + utf8(id.mid(7));
        for (const QString &piece : streamPieces(outcome.text))
            event("response.output_text.delta", {{"item_id", item},
                                                 {"output_index", 0},
                                                 {"content_index", 0},
                                                 {"delta", utf8(piece)}});
        event("response.output_text.done", {{"item_id", item},
                                            {"output_index", 0},
                                            {"content_index", 0},
                                            {"text", utf8(outcome.text)}});
    }
    event(outcome.finish == Finish::Length ? "response.incomplete" : "response.completed",
          {{"response", done}});
    return out;
}

} // namespace rs::llmserver
