#pragma once

#include <QList>
#include <QString>

#include <cstdint>
#include <optional>

namespace rs::llm {

struct ChatMessage final {
    QString role; ///< "user" or "assistant" (the system prompt is LlmRequest::system)
    QString content;
    /// How many leading characters of content are shared by many calls (a judge prompt's
    /// template, prompt and response): marked for provider-side prompt caching where the API
    /// wants a mark (Anthropic cache_control). 0: nothing marked.
    qsizetype sharedPrefix = 0;
};

enum class ResponseFormat { Text, JsonObject, JsonSchema };

/// How a JSON schema reaches the provider: its native structured output (response_format,
/// text.format, output_config) or a forced tool whose input is the answer (Anthropic).
enum class SchemaVia { Native, Tool };

/// One alternative for the first answer token, with its natural-log probability.
struct TokenLogprob final {
    QString token;
    double logprob = 0;
};

/// One model call, independent of the provider's wire format and of what a given model
/// accepts: the wire layer drops or renames what the model's capabilities rule out.
struct LlmRequest final {
    std::uint64_t tag = 0; ///< the caller's id for this request; comes back on the result
    QString system;
    QList<ChatMessage> messages;
    double temperature = 0.0;
    int maxTokens = 1024;
    int expectedOutputTokens = 0; ///< for cost previews; 0: a quarter of maxTokens
    std::optional<int> seed;
    /// Which sample of the same question this is (a judge vote, a re-ask): part of the cache key
    /// for every provider, so votes never share an answer even where no seed can be sent.
    int sample = 0;
    ResponseFormat format = ResponseFormat::Text;
    QString jsonSchema;      ///< compact JSON schema text, for ResponseFormat::JsonSchema
    SchemaVia schemaVia = SchemaVia::Native;
    bool logprobs = false; ///< ask for the first token's alternatives (top_logprobs)
    int topLogprobs = 0;
    QString reasoningEffort; ///< none, minimal, low, medium, high, xhigh, max; empty: default
    int thinkingBudget = 0;  ///< Anthropic budget_tokens for models that take one; 0: off
    /// A cut answer is still an answer (P(yes) reads only the first token); else a cut answer
    /// is asked again with more room.
    bool cutIsAnswer = false;
    QString templateVersion; ///< part of the cache key: a new template never reuses old answers
};

/// The outcome of one call after retries.
struct LlmResult final {
    std::uint64_t tag = 0;
    bool ok = false;
    bool refused = false; ///< answered with a refusal (ok is true; text holds the refusal)
    bool cut = false;     ///< still cut off with the most room we give: text is what came
    QString text;       ///< the assistant's text (raw: parse it with jsonextract)
    QString errorText;  ///< why it failed, never containing a key
    int httpStatus = 0; ///< last HTTP status seen, 0 for transport errors
    int attempts = 0;
    bool cached = false;
    qint64 tokensIn = 0;         ///< every input token, cached ones included
    qint64 tokensCachedIn = 0;   ///< input tokens read from the provider's prompt cache
    qint64 tokensCacheWrite = 0; ///< input tokens written to it (Anthropic; priced higher)
    qint64 tokensOut = 0;        ///< every output token, reasoning included
    qint64 tokensReasoning = 0;
    double costUsd = 0;
    QList<TokenLogprob> firstTokenLogprobs; ///< when asked for and returned
};

} // namespace rs::llm
