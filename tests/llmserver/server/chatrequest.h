#pragma once

#include <QList>
#include <QString>

#include <nlohmann/json.hpp>

namespace rs::llmserver {

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

    /// The text of the last "user" message, or an empty string.
    QString lastUserText() const;
    /// Code points of the system prompt and all messages: the basis of the prompt token count.
    qsizetype promptChars() const;

    /// A message content as text: a string, or the "text" of every {"type":"text"} part of an
    /// array joined with '\n' (other parts, such as images, are skipped); null gives "".
    /// Returns false for any other JSON type.
    static bool contentText(const nlohmann::ordered_json &content, QString *out);
};

} // namespace rs::llmserver
