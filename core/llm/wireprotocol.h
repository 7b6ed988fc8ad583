#pragma once

#include "common/error.h"
#include "llmrequest.h"
#include "modelcapabilities.h"
#include "providerconfig.h"

#include <QByteArray>
#include <QList>

#include <string>
#include <utility>

namespace rs::llm {

/// An HTTP request ready for the transport. Headers may hold the key: never log them as is.
struct HttpRequest final {
    std::string url;
    std::vector<std::string> headers;
    std::string body;
};

/// What a provider answered, decoded from its wire format.
struct DecodedAnswer final {
    QString text;
    bool refused = false;         ///< message.refusal, content_filter, stop_reason refusal
    bool cut = false;             ///< finish_reason length, stop_reason max_tokens, incomplete
    bool contextExceeded = false; ///< a cut that more room cannot fix
    qint64 tokensIn = 0;          ///< all input tokens, cached included
    qint64 tokensCachedIn = 0;
    qint64 tokensCacheWrite = 0;
    qint64 tokensOut = 0; ///< all output tokens, reasoning included
    qint64 tokensReasoning = 0;
    QList<TokenLogprob> firstTokenLogprobs;
};

/// Builds and decodes the wire formats we speak: OpenAI chat completions (and the servers that
/// copy it: vLLM, SGLang, llama.cpp, Ollama's /v1), the OpenAI Responses API and Anthropic
/// Messages. What a request carries follows the model's capabilities, never its name. Pure
/// functions: unit-tested on literals.
namespace wire {

HttpRequest build(const ProviderConfig &provider, const ModelCapabilities &caps,
                  const LlmRequest &request, const QString &apiKey);
/// The same around a body already built for these capabilities (see canonicalBody): the URL
/// and headers only.
HttpRequest build(const ProviderConfig &provider, const ModelCapabilities &caps, std::string body,
                  const QString &apiKey);
/// With the API kind's default capabilities (batch files, which carry chat/messages bodies).
HttpRequest build(const ProviderConfig &provider, const LlmRequest &request, const QString &apiKey);

/// The request without credentials in canonical form (sorted keys), independent of what was
/// learned about the model: the cache key source. Carries the sample identity, so votes that
/// cannot differ on the wire (no seed) still differ here.
/// `defaultBody`, when given, receives the body as build() sends it with those defaults: made
/// on the caller's thread with the key, so the engine's thread need not build it again.
std::string canonicalBody(const ProviderConfig &provider, const LlmRequest &request,
                          std::string *defaultBody = nullptr);

/// Decodes any of the three answer shapes (the Responses shape is recognised by its fields).
Expected<DecodedAnswer> decode(ProviderKind kind, std::string_view body);

/// The provider's error message from an error body, for reports ("rate limit exceeded").
QString errorMessage(std::string_view body);

/// Removes secrets from text meant for logs: see redactSecrets(); apiKey is redacted too.
QString redact(const QString &text, const QString &apiKey = {});

} // namespace wire
} // namespace rs::llm
