#pragma once

#include "openaidialect.h"

namespace rs::llmserver {

/// POST /v1/responses (OpenAI's Responses API, profile openai only): "instructions" form the
/// system prompt and "input" (a string or a list of messages) the conversation. Errors have
/// the chat completions' shape, so they are inherited.
class ResponsesDialect final : public OpenAiDialect {
public:
    QString name() const override { return QStringLiteral("responses"); }
    std::optional<ChatRequest> parseRequest(const nlohmann::ordered_json &body,
                                            QString *error) const override;
    QString responseId(quint64 serial) const override;
    nlohmann::ordered_json completion(const ChatRequest &request, const QString &id,
                                      const Outcome &outcome) const override;
    QByteArray stream(const ChatRequest &request, const QString &id,
                      const Outcome &outcome) const override;
};

} // namespace rs::llmserver
