#include "openaidialect.h"

#include <QDateTime>

#include <cmath>

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

namespace {

const char *finishName(Finish finish) {
    return finish == Finish::Length ? "length" : "stop";
}

ordered_json bytesOf(const QString &token) {
    ordered_json out = ordered_json::array();
    for (const char c : token.toUtf8())
        out.push_back(int(static_cast<unsigned char>(c)));
    return out;
}

ordered_json openAiUsage(const Outcome &o) {
    ordered_json usage{{"prompt_tokens", o.usage.input},
                       {"completion_tokens", o.usage.output},
                       {"total_tokens", o.usage.input + o.usage.output}};
    if (o.detailed) {
        // OpenAI counts cached and reasoning tokens inside prompt and completion tokens.
        usage["prompt_tokens_details"] = {{"cached_tokens", o.cachedTokens}, {"audio_tokens", 0}};
        usage["completion_tokens_details"] = {{"reasoning_tokens", o.reasoningTokens},
                                              {"audio_tokens", 0},
                                              {"accepted_prediction_tokens", 0},
                                              {"rejected_prediction_tokens", 0}};
    }
    return usage;
}

ordered_json openAiLogprobs(const TokenLogprobs &lp) {
    ordered_json top = ordered_json::array();
    for (const auto &[token, logprob] : lp.top)
        top.push_back(
            {{"token", token.toStdString()}, {"logprob", logprob}, {"bytes", bytesOf(token)}});
    double chosen = 0.0;
    for (const auto &[token, logprob] : lp.top)
        if (token == lp.token)
            chosen = logprob;
    if (lp.logprob)
        chosen = *lp.logprob;
    else if (lp.top.isEmpty())
        chosen = std::log(lp.token == QLatin1String("yes") ? lp.pYes : 1.0 - lp.pYes);
    return {{"content", ordered_json::array({{{"token", lp.token.toStdString()},
                                              {"logprob", chosen},
                                              {"bytes", bytesOf(lp.token)},
                                              {"top_logprobs", top}}})},
            {"refusal", nullptr}};
}

} // namespace

ordered_json OpenAiDialect::completion(const ChatRequest &request, const QString &id,
                                       const Outcome &outcome) const {
    ordered_json message{{"role", "assistant"}};
    if (outcome.finish == Finish::Refusal) {
        message["content"] = nullptr;
        message["refusal"] = utf8(outcome.refusal);
    } else {
        message["content"] = utf8(outcome.text);
        if (outcome.detailed)
            message["refusal"] = nullptr;
    }
    ordered_json choice{{"index", 0}, {"message", std::move(message)}};
    if (outcome.detailed || outcome.logprobs)
        choice["logprobs"] = outcome.logprobs ? openAiLogprobs(*outcome.logprobs) : ordered_json();
    choice["finish_reason"] = finishName(outcome.finish);
    ordered_json out{
        {"id", utf8(id)},
        {"object", "chat.completion"},
        {"created", QDateTime::currentSecsSinceEpoch()},
        {"model", utf8(request.model)},
        {"choices", ordered_json::array({std::move(choice)})},
        {"usage", openAiUsage(outcome)},
    };
    if (outcome.detailed)
        out["system_fingerprint"] = "fp_rs_test";
    return out;
}

QByteArray OpenAiDialect::stream(const ChatRequest &request, const QString &id,
                                 const Outcome &outcome) const {
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
    if (outcome.finish == Finish::Refusal) {
        event(chunk({{"refusal", utf8(outcome.refusal)}}, nullptr));
    } else {
        for (const QString &piece : streamPieces(outcome.text))
            event(chunk({{"content", utf8(piece)}}, nullptr));
    }
    event(chunk(ordered_json::object(), finishName(outcome.finish)));
    if (request.streamUsage) {
        ordered_json last = chunk(ordered_json::object(), nullptr);
        last["choices"] = ordered_json::array();
        last["usage"] = openAiUsage(outcome);
        event(last);
    }
    out += "data: [DONE]\n\n";
    return out;
}

ordered_json OpenAiDialect::rejection(const Rejection &r) const {
    ordered_json body = error(r.status, r.message);
    if (!r.param.isEmpty())
        body["error"]["param"] = utf8(r.param);
    if (!r.code.isEmpty())
        body["error"]["code"] = utf8(r.code);
    if (!r.type.isEmpty())
        body["error"]["type"] = utf8(r.type);
    return body;
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
