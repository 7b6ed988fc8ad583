#include "wireprotocol.h"

#include <QRegularExpression>

#include <nlohmann/json.hpp>

using nlohmann::json;

namespace rs::llm::wire {
namespace {

std::string str(const QString &s) { return s.toStdString(); }

json openAiBody(const ProviderConfig &provider, const LlmRequest &r)
{
    json messages = json::array();
    if (!r.system.isEmpty())
        messages.push_back({{"role", "system"}, {"content", str(r.system)}});
    for (const auto &m : r.messages)
        messages.push_back({{"role", str(m.role)}, {"content", str(m.content)}});
    json body = {{"model", str(provider.model)},
                 {"messages", std::move(messages)},
                 {"temperature", r.temperature},
                 {"max_tokens", r.maxTokens}};
    if (r.seed)
        body["seed"] = *r.seed;
    if (r.format == ResponseFormat::JsonObject)
        body["response_format"] = {{"type", "json_object"}};
    else if (r.format == ResponseFormat::JsonSchema) {
        json schema = json::parse(str(r.jsonSchema), nullptr, false);
        if (!schema.is_discarded())
            body["response_format"] = {{"type", "json_schema"},
                                       {"json_schema", {{"name", "answer"}, {"schema", schema}}}};
    }
    return body;
}

json anthropicBody(const ProviderConfig &provider, const LlmRequest &r)
{
    json messages = json::array();
    for (const auto &m : r.messages)
        messages.push_back({{"role", str(m.role)}, {"content", str(m.content)}});
    json body = {{"model", str(provider.model)},
                 {"messages", std::move(messages)},
                 {"temperature", r.temperature},
                 {"max_tokens", r.maxTokens}};
    if (!r.system.isEmpty())
        body["system"] = str(r.system);
    return body;
}

json body(const ProviderConfig &provider, const LlmRequest &r)
{
    return provider.kind == ProviderKind::Anthropic ? anthropicBody(provider, r)
                                                    : openAiBody(provider, r);
}

std::string joinUrl(const QString &base, const char *path)
{
    std::string b = str(base);
    while (!b.empty() && b.back() == '/')
        b.pop_back();
    return b + path;
}

} // namespace

HttpRequest build(const ProviderConfig &provider, const LlmRequest &request, const QString &apiKey)
{
    HttpRequest h;
    h.body = body(provider, request).dump();
    h.headers.push_back("Content-Type: application/json");
    if (provider.kind == ProviderKind::Anthropic) {
        h.url = joinUrl(provider.baseUrl, "/messages");
        h.headers.push_back("anthropic-version: 2023-06-01");
        if (!apiKey.isEmpty())
            h.headers.push_back("x-api-key: " + str(apiKey));
    } else {
        h.url = joinUrl(provider.baseUrl, "/chat/completions");
        if (!apiKey.isEmpty())
            h.headers.push_back("Authorization: Bearer " + str(apiKey));
    }
    return h;
}

std::string canonicalBody(const ProviderConfig &provider, const LlmRequest &request)
{
    // nlohmann's json object keeps keys sorted, so dump() is canonical.
    json j = body(provider, request);
    j["_kind"] = str(provider.kindName());
    j["_base_url"] = str(provider.baseUrl);
    j["_template_version"] = str(request.templateVersion);
    return j.dump();
}

Expected<DecodedAnswer> decode(ProviderKind kind, std::string_view text)
{
    json j = json::parse(text.begin(), text.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return makeError(QStringLiteral("the provider's answer is not valid JSON"));
    DecodedAnswer a;
    try {
        if (kind == ProviderKind::Anthropic) {
            const json &content = j.at("content");
            QString out;
            for (const json &block : content)
                if (block.value("type", std::string()) == "text")
                    out += QString::fromStdString(block.value("text", std::string()));
            a.text = out;
            if (auto u = j.find("usage"); u != j.end() && u->is_object()) {
                a.tokensIn = u->value("input_tokens", 0);
                a.tokensOut = u->value("output_tokens", 0);
            }
        } else {
            const json &msg = j.at("choices").at(0).at("message");
            const json &content = msg.at("content");
            a.text = content.is_string() ? QString::fromStdString(content.get<std::string>()) : QString();
            if (auto u = j.find("usage"); u != j.end() && u->is_object()) {
                a.tokensIn = u->value("prompt_tokens", 0);
                a.tokensOut = u->value("completion_tokens", 0);
            }
        }
    } catch (const json::exception &) {
        return makeError(QStringLiteral("the provider's answer lacks the expected fields"));
    }
    return a;
}

QString errorMessage(std::string_view text)
{
    json j = json::parse(text.begin(), text.end(), nullptr, false);
    if (j.is_object()) {
        if (auto e = j.find("error"); e != j.end()) {
            if (e->is_object() && e->contains("message") && (*e)["message"].is_string())
                return QString::fromStdString((*e)["message"].get<std::string>());
            if (e->is_string())
                return QString::fromStdString(e->get<std::string>());
        }
    }
    return QString::fromUtf8(text.data(), qsizetype(std::min<size_t>(text.size(), 200)));
}

QString redact(const QString &text, const QString &apiKey)
{
    QString out = text;
    static const QRegularExpression header(
        QStringLiteral(R"((authorization|x-api-key)\s*:\s*[^\r\n]*)"),
        QRegularExpression::CaseInsensitiveOption);
    out.replace(header, QStringLiteral("\\1: [redacted]"));
    if (apiKey.size() >= 4)
        out.replace(apiKey, QStringLiteral("[redacted]"));
    return out;
}

} // namespace rs::llm::wire
