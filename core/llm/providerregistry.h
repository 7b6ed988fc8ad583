#pragma once

#include "common/error.h"
#include "pricetable.h"
#include "providerconfig.h"

#include <QList>
#include <QString>

namespace rs::llm {

/// The user's provider definitions, kept as JSON in the config folder
/// ({"providers": [ProviderConfig...]}) so they can be edited by hand or shared; keys never
/// appear in it (only where to find them).
class ProviderRegistry final {
public:
    static QString defaultPath(); ///< <config>/providers.json
    static Expected<ProviderRegistry> load(const QString &path);
    Expected<void> save(const QString &path) const;

    const QList<ProviderConfig> &providers() const { return m_providers; }
    const ProviderConfig *find(const QString &name) const;
    void upsert(const ProviderConfig &provider);
    bool remove(const QString &name);

    /// The price table: the user's <config>/prices.json when present, else the built-in one.
    static Expected<PriceTable> loadPrices();

private:
    QList<ProviderConfig> m_providers;
};

} // namespace rs::llm
