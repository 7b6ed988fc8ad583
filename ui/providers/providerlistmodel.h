#pragma once

#include "llm/providerconfig.h"
#include "llm/providerregistry.h"

#include <QAbstractTableModel>
#include <QList>
#include <QThreadPool>

namespace rs::ui {

/// The user's LLM providers (providers.json in the config folder, via llm::ProviderRegistry)
/// as a table: name, kind, model, base URL and where the key comes from. The key itself is
/// never part of a provider.
///
/// Loading and saving run on a worker; the file is written atomically and saves are applied in
/// the order they were asked for.
class ProviderListModel final : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { NameColumn, KindColumn, ModelColumn, UrlColumn, KeyColumn, ColumnCount };

    explicit ProviderListModel(QString path = llm::ProviderRegistry::defaultPath(),
                               QObject *parent = nullptr);
    ~ProviderListModel() override;

    QString path() const { return m_path; }
    /// Reads the file (asynchronously); a missing file is an empty list.
    void load();
    /// Writes the current list (asynchronously).
    void save();
    bool isLoaded() const { return m_loaded; }
    /// Why the last load failed, empty when it did not.
    QString loadError() const { return m_loadError; }

    const QList<llm::ProviderConfig> &providers() const { return m_providers; }
    void setProviders(const QList<llm::ProviderConfig> &providers);
    llm::ProviderConfig provider(int row) const { return m_providers.value(row); }
    /// -1 when there is none of that name.
    int rowOf(const QString &name) const;
    void setProvider(int row, const llm::ProviderConfig &provider);
    int appendProvider(const llm::ProviderConfig &provider);
    void removeProvider(int row);

    /// "OpenAI-compatible" / "Anthropic"; "—", "$NAME" or "Keychain" for the key source.
    static QString kindText(llm::ProviderKind kind);
    static QString keyText(const llm::ProviderConfig &provider);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void loaded();
    void saved();
    void errorOccurred(const QString &message);

private:
    QString m_path;
    QList<llm::ProviderConfig> m_providers;
    QThreadPool m_io; // one thread: saves land in order
    bool m_loaded = false;
    QString m_loadError;
};

} // namespace rs::ui
