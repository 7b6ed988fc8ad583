#include "providerconfig.h"

#include <QJsonArray>

namespace rs::llm {

QString ProviderConfig::kindName() const
{
    return kind == ProviderKind::Anthropic ? QStringLiteral("anthropic") : QStringLiteral("openai");
}

QJsonObject ProviderConfig::toJson() const
{
    QString source = QStringLiteral("none");
    if (keySource == KeySource::Environment)
        source = QStringLiteral("env");
    else if (keySource == KeySource::Keychain)
        source = QStringLiteral("keychain");
    QJsonObject o{{QStringLiteral("name"), name},
                  {QStringLiteral("kind"), kindName()},
                  {QStringLiteral("base_url"), baseUrl},
                  {QStringLiteral("model"), model},
                  {QStringLiteral("key_source"), source},
                  {QStringLiteral("key_env"), keyEnv},
                  {QStringLiteral("max_concurrency"), maxConcurrency},
                  {QStringLiteral("requests_per_minute"), requestsPerMinute},
                  {QStringLiteral("tokens_per_minute"), tokensPerMinute},
                  {QStringLiteral("timeout_ms"), timeoutMs},
                  {QStringLiteral("max_retries"), maxRetries},
                  {QStringLiteral("api"), api}};
    // Written only when there are replicas: a single-URL provider's file stays as it was.
    if (!replicaUrls.isEmpty())
        o.insert(QStringLiteral("replica_urls"), QJsonArray::fromStringList(replicaUrls));
    return o;
}

Expected<ProviderConfig> ProviderConfig::fromJson(const QJsonObject &o)
{
    ProviderConfig c;
    c.name = o.value(QStringLiteral("name")).toString();
    const QString kind = o.value(QStringLiteral("kind")).toString(QStringLiteral("openai"));
    if (kind == QLatin1String("anthropic"))
        c.kind = ProviderKind::Anthropic;
    else if (kind == QLatin1String("openai"))
        c.kind = ProviderKind::OpenAiCompatible;
    else
        return makeError(QStringLiteral("provider \"%1\": unknown kind \"%2\" (openai or anthropic)")
                             .arg(c.name, kind));
    c.baseUrl = o.value(QStringLiteral("base_url")).toString();
    const QJsonArray replicas = o.value(QStringLiteral("replica_urls")).toArray();
    for (const auto &u : replicas)
        if (!u.toString().isEmpty())
            c.replicaUrls << u.toString();
    c.model = o.value(QStringLiteral("model")).toString();
    const QString source = o.value(QStringLiteral("key_source")).toString(QStringLiteral("none"));
    if (source == QLatin1String("env"))
        c.keySource = KeySource::Environment;
    else if (source == QLatin1String("keychain"))
        c.keySource = KeySource::Keychain;
    c.keyEnv = o.value(QStringLiteral("key_env")).toString();
    c.maxConcurrency = qMax(1, o.value(QStringLiteral("max_concurrency")).toInt(8));
    c.requestsPerMinute = qMax(0, o.value(QStringLiteral("requests_per_minute")).toInt(0));
    c.tokensPerMinute = qMax(0, o.value(QStringLiteral("tokens_per_minute")).toInt(0));
    c.timeoutMs = qMax(100, o.value(QStringLiteral("timeout_ms")).toInt(120000));
    c.maxRetries = qMax(0, o.value(QStringLiteral("max_retries")).toInt(5));
    c.api = o.value(QStringLiteral("api")).toString(QStringLiteral("auto"));
    if (c.api != QLatin1String("auto") && c.api != QLatin1String("chat") &&
        c.api != QLatin1String("responses"))
        return makeError(
            QStringLiteral("provider \"%1\": api takes auto, chat or responses").arg(c.name));
    if (c.name.isEmpty() || c.baseUrl.isEmpty() || c.model.isEmpty())
        return makeError(QStringLiteral("provider definition needs name, base_url and model"));
    if (c.keySource == KeySource::Environment && c.keyEnv.isEmpty())
        return makeError(QStringLiteral("provider \"%1\": key_source env needs key_env").arg(c.name));
    return c;
}

} // namespace rs::llm
