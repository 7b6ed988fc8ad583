#include "wireprotocol.h"
#include "common/boundedjson.h"

#include "secrets.h"
#include "wirebodies.h"

using nlohmann::json;

namespace rs::llm::wire {
namespace detail {

json schemaOf(const LlmRequest &r) {
    if (r.jsonSchema.isEmpty())
        return json();
    // A run sends one schema (or one per prompt) in every body, and each body is built twice
    // (to send, and canonically for its cache key): the last one parsed is kept per thread.
    thread_local QString lastText;
    thread_local json last;
    if (r.jsonSchema != lastText) {
        json schema = json::parse(utf8(r.jsonSchema), nullptr, false);
        last = schema.is_discarded() || !schema.is_object() ? json() : std::move(schema);
        lastText = r.jsonSchema;
    }
    return last;
}

qint64 count(const json &obj, const char *key) {
    const auto it = obj.find(key);
    return it != obj.end() && it->is_number() ? it->get<qint64>() : 0;
}

} // namespace detail
namespace {

enum class Api { Chat, Responses, Messages };

Api apiFor(const ProviderConfig &provider, const ModelCapabilities &caps) {
    if (provider.kind == ProviderKind::Anthropic)
        return Api::Messages;
    if (provider.api == QLatin1String("responses"))
        return Api::Responses;
    if (provider.api == QLatin1String("chat"))
        return Api::Chat;
    return caps.responsesApi ? Api::Responses : Api::Chat;
}

json bodyFor(Api api, const ProviderConfig &provider, const ModelCapabilities &caps,
             const LlmRequest &r) {
    switch (api) {
    case Api::Messages:
        return detail::messagesBody(provider, caps, r);
    case Api::Responses:
        return detail::responsesBody(provider, caps, r);
    case Api::Chat:
        break;
    }
    return detail::chatBody(provider, caps, r);
}

std::string joinUrl(const QString &base, const char *path)
{
    std::string b = detail::utf8(base);
    while (!b.empty() && b.back() == '/')
        b.pop_back();
    return b + path;
}

} // namespace

HttpRequest build(const ProviderConfig &provider, const ModelCapabilities &caps,
                  const LlmRequest &request, const QString &apiKey) {
    return build(provider, caps, bodyFor(apiFor(provider, caps), provider, caps, request).dump(),
                 apiKey);
}

HttpRequest build(const ProviderConfig &provider, const ModelCapabilities &caps, std::string body,
                  const QString &apiKey) {
    const Api api = apiFor(provider, caps);
    HttpRequest h;
    h.body = std::move(body);
    h.headers.push_back("Content-Type: application/json");
    if (api == Api::Messages) {
        h.url = joinUrl(provider.baseUrl, "/messages");
        h.headers.push_back("anthropic-version: 2023-06-01");
        if (!apiKey.isEmpty())
            h.headers.push_back("x-api-key: " + detail::utf8(apiKey));
    } else {
        h.url =
            joinUrl(provider.baseUrl, api == Api::Responses ? "/responses" : "/chat/completions");
        if (!apiKey.isEmpty())
            h.headers.push_back("Authorization: Bearer " + detail::utf8(apiKey));
    }
    return h;
}

HttpRequest build(const ProviderConfig &provider, const LlmRequest &request,
                  const QString &apiKey) {
    return build(provider, ModelCapabilities::defaultsFor(provider.kind), request, apiKey);
}

std::string canonicalBody(const ProviderConfig &provider, const LlmRequest &request,
                          std::string *defaultBody) {
    // Built with the kind's defaults, not with what was learned: a run that learned to drop the
    // temperature still finds the answers of the run before it. nlohmann's json object keeps
    // keys sorted, so dump() is canonical.
    const ModelCapabilities defaults = ModelCapabilities::defaultsFor(provider.kind);
    json j = bodyFor(apiFor(provider, defaults), provider, defaults, request);
    // What the key adds to the body sent: the request's identity beyond its wire fields.
    json extra = json::object();
    extra["_kind"] = detail::utf8(provider.kindName());
    extra["_base_url"] = detail::utf8(provider.baseUrl);
    extra["_template_version"] = detail::utf8(request.templateVersion);
    if (request.sample != 0)
        extra["_sample"] = request.sample;
    if (request.logprobs)
        extra["_logprobs"] = request.topLogprobs; // Anthropic bodies cannot carry it
    if (request.format == ResponseFormat::JsonSchema && request.schemaVia == SchemaVia::Tool)
        extra["_schema_via"] = "tool";
    std::string body = j.dump();
    // Every wire field is lowercase, so in the sorted object all of them follow every "_"
    // field: the canonical text is the extra fields' text joined to the body's, byte for byte
    // what dumping the merged object gives, without escaping the prompt a second time (a
    // fifth of the CPU of a judge call's rendering). Any other shape takes the merged dump.
    const std::string extraText = extra.dump();
    if (!j.empty() && j.begin().key() > extra.rbegin().key()) {
        std::string canonical;
        canonical.reserve(extraText.size() + body.size());
        canonical.append(extraText, 0, extraText.size() - 1); // without its closing brace
        canonical += ',';
        canonical.append(body, 1); // without the opening brace
        if (defaultBody)
            *defaultBody = std::move(body);
        return canonical;
    }
    j.update(extra);
    if (defaultBody)
        *defaultBody = std::move(body);
    return j.dump();
}

Expected<DecodedAnswer> decode(ProviderKind kind, std::string_view text)
{
    json j = parseBoundedJson(text);
    if (j.is_discarded() || !j.is_object())
        return makeError(QStringLiteral("the provider's answer is not valid JSON"));
    DecodedAnswer a;
    try {
        if (kind == ProviderKind::Anthropic)
            detail::decodeMessages(j, a);
        else if (j.contains("output") && !j.contains("choices"))
            detail::decodeResponses(j, a);
        else
            detail::decodeChat(j, a);
    } catch (const json::exception &) {
        return makeError(QStringLiteral("the provider's answer lacks the expected fields"));
    }
    return a;
}

QString errorMessage(std::string_view text)
{
    json j = parseBoundedJson(text);
    if (j.is_object()) {
        if (auto e = j.find("error"); e != j.end()) {
            if (e->is_object() && e->contains("message") && (*e)["message"].is_string())
                return redactSecrets(QString::fromStdString((*e)["message"].get<std::string>()));
            if (e->is_string())
                return redactSecrets(QString::fromStdString(e->get<std::string>()));
        }
    }
    return redactSecrets(
        QString::fromUtf8(text.data(), qsizetype(std::min<size_t>(text.size(), 200))));
}

QString redact(const QString &text, const QString &apiKey)
{
    QString out = text;
    if (apiKey.size() >= 4)
        out.replace(apiKey, QStringLiteral("[redacted]"));
    return redactSecrets(out);
}

} // namespace rs::llm::wire
