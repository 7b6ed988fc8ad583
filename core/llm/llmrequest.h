#pragma once

#include <QList>
#include <QString>

#include <cstdint>
#include <optional>

namespace rs::llm {

struct ChatMessage final {
    QString role; ///< "user" or "assistant" (the system prompt is LlmRequest::system)
    QString content;
};

enum class ResponseFormat { Text, JsonObject, JsonSchema };

/// One model call, independent of the provider's wire format.
struct LlmRequest final {
    std::uint64_t tag = 0; ///< the caller's id for this request; comes back on the result
    QString system;
    QList<ChatMessage> messages;
    double temperature = 0.0;
    int maxTokens = 1024;
    int expectedOutputTokens = 0; ///< for cost previews; 0: a quarter of maxTokens
    std::optional<int> seed;
    ResponseFormat format = ResponseFormat::Text;
    QString jsonSchema;      ///< compact JSON schema text, for ResponseFormat::JsonSchema
    QString templateVersion; ///< part of the cache key: a new template never reuses old answers
};

/// The outcome of one call after retries.
struct LlmResult final {
    std::uint64_t tag = 0;
    bool ok = false;
    QString text;       ///< the assistant's text (raw: parse it with jsonextract)
    QString errorText;  ///< why it failed, never containing a key
    int httpStatus = 0; ///< last HTTP status seen, 0 for transport errors
    int attempts = 0;
    bool cached = false;
    qint64 tokensIn = 0;
    qint64 tokensOut = 0;
    double costUsd = 0;
};

} // namespace rs::llm
