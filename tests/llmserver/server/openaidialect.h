#pragma once

#include "apidialect.h"

namespace rs::llmserver {

/// POST /v1/chat/completions. Messages with role "system" or "developer" form the system
/// prompt; stream:true is answered with chat.completion.chunk events and "data: [DONE]".
class OpenAiDialect : public ApiDialect {
public:
    QString name() const override { return QStringLiteral("openai"); }
    std::optional<ChatRequest> parseRequest(const nlohmann::ordered_json &body,
                                            QString *error) const override;
    QString responseId(quint64 serial) const override;
    nlohmann::ordered_json completion(const ChatRequest &request, const QString &id,
                                      const Outcome &outcome) const override;
    QByteArray stream(const ChatRequest &request, const QString &id,
                      const Outcome &outcome) const override;
    nlohmann::ordered_json error(int status, const QString &message) const override;
    nlohmann::ordered_json rejection(const Rejection &r) const override;
};

} // namespace rs::llmserver
