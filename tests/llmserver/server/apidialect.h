#pragma once

#include "chatrequest.h"
#include "outcome.h"
#include "rejection.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <optional>

namespace rs::llmserver {

/// One provider API (OpenAI chat completions or Anthropic messages): how its requests read and
/// how its answers, streams and errors look. The router and the batch converter share these.
class ApiDialect {
public:
    virtual ~ApiDialect() = default;

    /// "openai" or "anthropic", as used in /stats.
    virtual QString name() const = 0;
    /// nullopt with *error for a body the real API would refuse with 400.
    virtual std::optional<ChatRequest> parseRequest(const nlohmann::ordered_json &body,
                                                    QString *error) const = 0;
    /// A fresh response id; serial makes ids unique within a run and reproducible across runs.
    virtual QString responseId(quint64 serial) const = 0;
    virtual nlohmann::ordered_json completion(const ChatRequest &request, const QString &id,
                                              const Outcome &outcome) const = 0;
    /// The whole server-sent-event body of a streamed answer.
    virtual QByteArray stream(const ChatRequest &request, const QString &id,
                              const Outcome &outcome) const = 0;
    virtual nlohmann::ordered_json error(int status, const QString &message) const = 0;
    /// A profile's refusal of a parameter; APIs without a "param" field put it in the text.
    virtual nlohmann::ordered_json rejection(const Rejection &r) const {
        return error(r.status, r.message);
    }

    static Usage usageFor(const ChatRequest &request, const QString &answer);
    /// The answer cut into stream deltas of at most 24 UTF-16 units, never inside a surrogate
    /// pair, so clients must join several deltas as they would with a real model.
    static QStringList streamPieces(const QString &answer);
    static std::string utf8(const QString &s) { return s.toStdString(); }
    /// Serialises with invalid UTF-8 replaced rather than thrown: a test double must not die.
    static QByteArray dump(const nlohmann::ordered_json &j);
};

} // namespace rs::llmserver
