#pragma once

#include <QList>
#include <QString>

#include <nlohmann/json.hpp>

#include <optional>

namespace rs::llmserver {

/// The sampling and output parameters a profile reads; the lenient profile leaves them unset.
struct GenerationParams {
    std::optional<double> temperature; // absent: the API default, 1
    std::optional<qint64> seed;
    std::optional<qint64> maxTokens; // max_tokens, max_completion_tokens or max_output_tokens
    bool logprobs = false;
    std::optional<int> topLogprobs;
    std::optional<nlohmann::ordered_json> schema; // the JSON schema the answer must follow
    bool forcedTool = false;                      // Anthropic: answer as a tool_use block
    QString toolName;
    QString effort;            // reasoning effort; empty: the model's default
    qint64 thinkingBudget = 0; // Anthropic thinking type "enabled"
    bool adaptiveThinking = false;
    /// Anthropic cache_control marks: prefix lengths of cacheText() that may be cached.
    QList<qsizetype> cacheMarks;
};

struct ChatMessage {
    QString role; // "user" or "assistant" (system text lives in ChatRequest::system)
    QString text;
};

/// A chat request reduced to what the answers depend on; both APIs map onto it.
struct ChatRequest {
    QString model;
    QString system; // every system prompt part, joined with '\n'
    QList<ChatMessage> messages;
    bool stream = false;
    bool streamUsage = false; // OpenAI stream_options.include_usage
    GenerationParams gen;

    /// The text of the last "user" message, or an empty string.
    QString lastUserText() const;
    /// Code points of the system prompt and all messages: the basis of the prompt token count.
    qsizetype promptChars() const;
    /// System prompt and message texts concatenated: what a provider's prefix cache sees.
    QString cacheText() const;

    /// A message content as text: a string, or the "text" of every {"type":"text"} part of an
    /// array joined with '\n' (other parts, such as images, are skipped); null gives "".
    /// Returns false for any other JSON type.
    static bool contentText(const nlohmann::ordered_json &content, QString *out);
    /// Ends (offsets into contentText's result, plus base) of the blocks of an array content
    /// that carry "cache_control".
    static void cacheControlEnds(const nlohmann::ordered_json &content, qsizetype base,
                                 QList<qsizetype> *ends);
};

} // namespace rs::llmserver
