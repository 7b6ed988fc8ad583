#pragma once

#include "modelcapabilities.h"
#include "providerconfig.h"

#include <QHash>
#include <QString>

#include <memory>
#include <mutex>
#include <optional>

namespace rs::llm {

/// What is known of each provider's models, kept in the user's config folder
/// (capabilities.json, keyed by API kind, base URL and model) so every project and the CLI share
/// what a probe or a run has learned. Thread-safe; every update is written at once (atomically).
class CapabilityStore final {
public:
    explicit CapabilityStore(QString path = defaultPath());
    static QString defaultPath(); ///< <config>/capabilities.json
    /// The process's store at the default path, shared by every scheduler.
    static std::shared_ptr<CapabilityStore> shared();

    /// The stored capabilities of the provider's model, if any.
    std::optional<ModelCapabilities> find(const ProviderConfig &provider);
    /// The stored capabilities, or the API kind's defaults.
    ModelCapabilities get(const ProviderConfig &provider);
    Expected<void> put(const ProviderConfig &provider, const ModelCapabilities &caps);

    static QString keyFor(const ProviderConfig &provider);

private:
    void loadLocked();

    QString m_path;
    std::mutex m_mutex;
    bool m_loaded = false;
    QHash<QString, QJsonObject> m_entries;
};

} // namespace rs::llm
