#include "providerregistry.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QStandardPaths>

namespace rs::llm {

QString ProviderRegistry::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation)
           + QStringLiteral("/providers.json");
}

Expected<ProviderRegistry> ProviderRegistry::load(const QString &path)
{
    ProviderRegistry r;
    QFile f(path);
    if (!f.exists())
        return r;
    if (!f.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("cannot read: %1").arg(f.errorString()), path);
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &err);
    if (err.error != QJsonParseError::NoError)
        return makeError(QStringLiteral("invalid JSON: %1").arg(err.errorString()), path);
    const QJsonArray list = doc.object().value(QStringLiteral("providers")).toArray();
    for (const auto &v : list) {
        auto p = ProviderConfig::fromJson(v.toObject());
        if (!p)
            return makeError(p.error().message, path);
        r.m_providers.push_back(p.value());
    }
    return r;
}

Expected<void> ProviderRegistry::save(const QString &path) const
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QJsonArray list;
    for (const auto &p : m_providers)
        list.push_back(p.toJson());
    // QSaveFile: a crash mid-write leaves the previous file, never half a file.
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return makeError(QStringLiteral("cannot write: %1").arg(f.errorString()), path);
    f.write(QJsonDocument(QJsonObject{{QStringLiteral("providers"), list}}).toJson());
    if (!f.commit())
        return makeError(QStringLiteral("cannot write: %1").arg(f.errorString()), path);
    return {};
}

const ProviderConfig *ProviderRegistry::find(const QString &name) const
{
    for (const auto &p : m_providers)
        if (p.name == name)
            return &p;
    return nullptr;
}

void ProviderRegistry::upsert(const ProviderConfig &provider)
{
    for (auto &p : m_providers)
        if (p.name == provider.name) {
            p = provider;
            return;
        }
    m_providers.push_back(provider);
}

bool ProviderRegistry::remove(const QString &name)
{
    return m_providers.removeIf([&](const ProviderConfig &p) { return p.name == name; }) > 0;
}

Expected<PriceTable> ProviderRegistry::loadPrices()
{
    const QString user = QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation)
                         + QStringLiteral("/prices.json");
    if (QFileInfo::exists(user))
        return PriceTable::load(user);
    return PriceTable::load(QStringLiteral(":/rubric-studio/prices.json"));
}

} // namespace rs::llm
