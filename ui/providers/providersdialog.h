#pragma once

#include "providers/providerprobe.h"

#include <QDialog>
#include <QSet>

#include <memory>

class QDialogButtonBox;
class QLabel;
class QPushButton;
class QTableView;

namespace rs::ui {

class KeychainKeyResolver;
class ProviderEditor;
class ProviderListModel;

/// Judge › Providers…: add, edit, duplicate and remove LLM providers, test one (a capability
/// probe whose findings are stored for runs and shown), and save them all to providers.json
/// (never with a key in it). Edits are made on a copy; Save writes the file (on a worker) and
/// then updates the studio's list.
class ProvidersDialog final : public QDialog {
    Q_OBJECT

public:
    ProvidersDialog(ProviderListModel &providers, std::shared_ptr<KeychainKeyResolver> keys,
                    QWidget *parent = nullptr);
    ~ProvidersDialog() override;

    ProviderListModel *model() const { return m_model; }
    ProviderEditor *editor() const { return m_editor; }
    QTableView *table() const { return m_table; }
    QLabel *statusLabel() const { return m_status; }
    /// What the last Test found (rich text), hidden until a test answers.
    QLabel *capabilitiesLabel() const { return m_capabilities; }
    /// Selects the provider called `name`, if any.
    void selectProvider(const QString &name);

    void addProvider();
    void duplicateProvider();
    void removeProvider();
    void testProvider();
    /// Validates, writes providers.json and closes on success.
    void save();

Q_SIGNALS:
    /// providers.json was written.
    void saved();

private:
    int currentRow() const;
    void onCurrentChanged();
    void onEdited();
    QString uniqueName(const QString &base) const;
    void showStatus(const QString &text, bool error = false);
    void showCapabilities(const ProviderProbe::Result &result);

    ProviderListModel &m_shared;
    std::shared_ptr<KeychainKeyResolver> m_keys;
    ProviderListModel *m_model = nullptr;
    ProviderEditor *m_editor = nullptr;
    ProviderProbe *m_probe = nullptr;
    QTableView *m_table = nullptr;
    QPushButton *m_remove = nullptr;
    QPushButton *m_duplicate = nullptr;
    QPushButton *m_test = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_capabilities = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QSet<QString> m_savedNames;  ///< names in providers.json: they cannot be renamed
    QSet<QString> m_lockedNames; ///< unsaved, but a keychain entry already has the name
    QStringList m_removedKeychainNames;
    int m_editingRow = -1;
    bool m_saving = false;
};

} // namespace rs::ui
