#include "capabilitystore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>
#include <QStandardPaths>

namespace rs::llm {

CapabilityStore::CapabilityStore(QString path)
    : m_path(std::move(path)) {}

QString CapabilityStore::defaultPath() {
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) +
           QStringLiteral("/capabilities.json");
}

std::shared_ptr<CapabilityStore> CapabilityStore::shared() {
    static const auto store = std::make_shared<CapabilityStore>();
    return store;
}

QString CapabilityStore::keyFor(const ProviderConfig &provider) {
    QString base = provider.baseUrl;
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    return provider.kindName() + QLatin1Char('|') + base + QLatin1Char('|') + provider.model;
}

void CapabilityStore::loadLocked() {
    if (m_loaded)
        return;
    m_loaded = true;
    QFile f(m_path);
    if (!f.open(QIODevice::ReadOnly))
        return; // nothing learned yet
    // A damaged file only costs what it held: every model starts from its defaults again.
    const QJsonObject models =
        QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("models")).toObject();
    for (auto it = models.begin(); it != models.end(); ++it)
        m_entries.insert(it.key(), it.value().toObject());
}

std::optional<ModelCapabilities> CapabilityStore::find(const ProviderConfig &provider) {
    std::lock_guard lock(m_mutex);
    loadLocked();
    const auto it = m_entries.constFind(keyFor(provider));
    if (it == m_entries.cend())
        return std::nullopt;
    return ModelCapabilities::fromJson(provider.kind, *it);
}

ModelCapabilities CapabilityStore::get(const ProviderConfig &provider) {
    return find(provider).value_or(ModelCapabilities::defaultsFor(provider.kind));
}

Expected<void> CapabilityStore::put(const ProviderConfig &provider, const ModelCapabilities &caps) {
    std::lock_guard lock(m_mutex);
    loadLocked();
    // Another process may have learned about other models meanwhile: merge with the file.
    QFile f(m_path);
    if (f.open(QIODevice::ReadOnly)) {
        const QJsonObject models = QJsonDocument::fromJson(f.readAll())
                                       .object()
                                       .value(QStringLiteral("models"))
                                       .toObject();
        for (auto it = models.begin(); it != models.end(); ++it)
            if (!m_entries.contains(it.key()))
                m_entries.insert(it.key(), it.value().toObject());
        f.close();
    }
    m_entries.insert(keyFor(provider), caps.toJson());
    QJsonObject models;
    for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it)
        models.insert(it.key(), it.value());
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSaveFile out(m_path);
    if (!out.open(QIODevice::WriteOnly))
        return makeError(QStringLiteral("cannot write: %1").arg(out.errorString()), m_path);
    out.write(QJsonDocument(QJsonObject{{QStringLiteral("models"), models}}).toJson());
    if (!out.commit())
        return makeError(QStringLiteral("cannot write: %1").arg(out.errorString()), m_path);
    return {};
}

} // namespace rs::llm
