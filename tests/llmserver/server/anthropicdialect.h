#pragma once

#include "apidialect.h"

namespace rs::llmserver {

/// POST /v1/messages. The system prompt is the top-level "system" (a string or text blocks);
/// max_tokens and the anthropic-version header are accepted but not required. stream:true is
/// answered with the message_start ... message_stop event sequence.
class AnthropicDialect final : public ApiDialect {
public:
    QString name() const override { return QStringLiteral("anthropic"); }
    std::optional<ChatRequest> parseRequest(const nlohmann::ordered_json &body,
                                            QString *error) const override;
    QString responseId(quint64 serial) const override;
    nlohmann::ordered_json completion(const ChatRequest &request, const QString &id,
                                      const Outcome &outcome) const override;
    QByteArray stream(const ChatRequest &request, const QString &id,
                      const Outcome &outcome) const override;
    nlohmann::ordered_json error(int status, const QString &message) const override;
};

} // namespace rs::llmserver
