#pragma once

#include "common/error.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace rs::llm {

enum class ProviderKind { OpenAiCompatible, Anthropic };

/// Where a provider's API key comes from. The key itself is never stored with the provider.
enum class KeySource {
    None,        ///< local servers (vLLM, llama-server, the test server) need no key
    Environment, ///< the variable named by keyEnv
    Keychain     ///< the system keychain, entry named by the provider name (resolved in ui/)
};

/// A provider definition as it lives in the user's settings: everything but the key.
struct ProviderConfig final {
    QString name;
    ProviderKind kind = ProviderKind::OpenAiCompatible;
    QString baseUrl; ///< e.g. https://api.openai.com/v1 or http://127.0.0.1:8000/v1
    /// Further base URLs serving the same model (vLLM or SGLang replicas of one judge): requests
    /// are spread over baseUrl and these. Answers are cached under baseUrl alone, so they are
    /// shared whichever replica gave them.
    QStringList replicaUrls;
    QString model;
    KeySource keySource = KeySource::None;
    QString keyEnv; ///< variable name when keySource is Environment
    int maxConcurrency = 8;
    int requestsPerMinute = 0; ///< 0: no limit
    int tokensPerMinute = 0;   ///< 0: no limit
    int timeoutMs = 120000;
    int maxRetries = 5;
    /// OpenAI kind: "chat", "responses", or "auto" (chat until the model is found to be served
    /// only by the Responses API).
    QString api = QStringLiteral("auto");

    QJsonObject toJson() const;
    static Expected<ProviderConfig> fromJson(const QJsonObject &o);
    QString kindName() const;
    /// baseUrl, then the replicas: every URL a request may go to.
    QStringList allBaseUrls() const { return QStringList{baseUrl} + replicaUrls; }
};

} // namespace rs::llm
