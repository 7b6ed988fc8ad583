#pragma once

#include "common/error.h"
#include "llmrequest.h"
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
    qint64 tokensIn = 0;
    qint64 tokensOut = 0;
};

/// Builds and decodes the two wire formats we speak. Pure functions: unit-tested on literals.
namespace wire {

HttpRequest build(const ProviderConfig &provider, const LlmRequest &request, const QString &apiKey);

/// The request body without credentials, in canonical form (sorted keys): the cache key source.
std::string canonicalBody(const ProviderConfig &provider, const LlmRequest &request);

Expected<DecodedAnswer> decode(ProviderKind kind, std::string_view body);

/// The provider's error message from an error body, for reports ("rate limit exceeded").
QString errorMessage(std::string_view body);

/// Removes secrets from text meant for logs: Authorization / x-api-key header values and
/// anything that looks like the given key.
QString redact(const QString &text, const QString &apiKey = {});

} // namespace wire
} // namespace rs::llm
