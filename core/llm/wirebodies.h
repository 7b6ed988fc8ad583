#pragma once

#include "wireprotocol.h"

#include <nlohmann/json.hpp>

#include <string_view>

// The three request/answer shapes, one file each; wireprotocol.cpp picks one.
namespace rs::llm::wire::detail {

nlohmann::json chatBody(const ProviderConfig &provider, const ModelCapabilities &caps,
                        const LlmRequest &r);
nlohmann::json responsesBody(const ProviderConfig &provider, const ModelCapabilities &caps,
                             const LlmRequest &r);
nlohmann::json messagesBody(const ProviderConfig &provider, const ModelCapabilities &caps,
                            const LlmRequest &r);

void decodeChat(const nlohmann::json &j, DecodedAnswer &a);
void decodeResponses(const nlohmann::json &j, DecodedAnswer &a);
void decodeMessages(const nlohmann::json &j, DecodedAnswer &a);

inline std::string utf8(const QString &s) {
    return s.toStdString();
}
inline QString qstr(const nlohmann::json &j) {
    return j.is_string() ? QString::fromStdString(j.get<std::string>()) : QString();
}
/// The request's JSON schema as an object, or null when it has none (or it does not parse).
nlohmann::json schemaOf(const LlmRequest &r);
/// An integer field of an object (usage counters), 0 when absent or not a number.
qint64 count(const nlohmann::json &obj, const char *key);

} // namespace rs::llm::wire::detail
