#include "providers/providerlistmodel.h"

#include "common/asynctask.h"
#include "common/roles.h"

#include <QDir>

namespace rs::ui {

ProviderListModel::ProviderListModel(QString path, QObject *parent)
    : QAbstractTableModel(parent)
    , m_path(std::move(path)) {
    m_io.setMaxThreadCount(1);
}

// A save in flight finishes before the model goes: the file is small, and QSaveFile leaves the
// previous version until the new one is complete anyway.
ProviderListModel::~ProviderListModel() = default;

void ProviderListModel::load() {
    runAsync(
        this, &m_io, [path = m_path] { return llm::ProviderRegistry::load(path); },
        [this](Expected<llm::ProviderRegistry> registry) {
            m_loaded = true;
            if (!registry) {
                m_loadError = registry.error().toString();
                Q_EMIT errorOccurred(m_loadError);
                Q_EMIT loaded();
                return;
            }
            m_loadError.clear();
            setProviders(registry->providers());
            Q_EMIT loaded();
        });
}

void ProviderListModel::save() {
    llm::ProviderRegistry registry;
    for (const auto &p : m_providers)
        registry.upsert(p);
    runAsync(
        this, &m_io, [path = m_path, registry] { return registry.save(path); },
        [this](Expected<void> result) {
            if (!result) {
                Q_EMIT errorOccurred(result.error().toString());
                return;
            }
            m_loadError.clear(); // the file on disk is ours now
            Q_EMIT saved();
        });
}

void ProviderListModel::setProviders(const QList<llm::ProviderConfig> &providers) {
    beginResetModel();
    m_providers = providers;
    endResetModel();
}

int ProviderListModel::rowOf(const QString &name) const {
    for (int i = 0; i < m_providers.size(); ++i)
        if (m_providers[i].name == name)
            return i;
    return -1;
}

void ProviderListModel::setProvider(int row, const llm::ProviderConfig &provider) {
    if (row < 0 || row >= m_providers.size())
        return;
    m_providers[row] = provider;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

int ProviderListModel::appendProvider(const llm::ProviderConfig &provider) {
    const int row = int(m_providers.size());
    beginInsertRows({}, row, row);
    m_providers.append(provider);
    endInsertRows();
    return row;
}

void ProviderListModel::removeProvider(int row) {
    if (row < 0 || row >= m_providers.size())
        return;
    beginRemoveRows({}, row, row);
    m_providers.removeAt(row);
    endRemoveRows();
}

QString ProviderListModel::kindText(llm::ProviderKind kind) {
    return kind == llm::ProviderKind::Anthropic ? tr("Anthropic") : tr("OpenAI-compatible");
}

QString ProviderListModel::keyText(const llm::ProviderConfig &provider) {
    switch (provider.keySource) {
    case llm::KeySource::None:
        return tr("none");
    case llm::KeySource::Environment:
        return QLatin1Char('$') + provider.keyEnv;
    case llm::KeySource::Keychain:
        return tr("keychain");
    }
    return {};
}

int ProviderListModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_providers.size());
}

int ProviderListModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProviderListModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const llm::ProviderConfig &p = m_providers[index.row()];
    if (role == ProviderNameRole)
        return p.name;
    if (role == Qt::ToolTipRole)
        return tr("%1 · %2 at %3").arg(p.model, kindText(p.kind), p.baseUrl);
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    switch (index.column()) {
    case NameColumn:
        return p.name;
    case KindColumn:
        return kindText(p.kind);
    case ModelColumn:
        return p.model;
    case UrlColumn:
        return p.baseUrl;
    case KeyColumn:
        return keyText(p);
    }
    return {};
}

QVariant ProviderListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Name");
    case KindColumn:
        return tr("Kind");
    case ModelColumn:
        return tr("Model");
    case UrlColumn:
        return tr("Base URL");
    case KeyColumn:
        return tr("Key");
    }
    return {};
}

} // namespace rs::ui
