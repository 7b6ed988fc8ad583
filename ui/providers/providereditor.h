#pragma once

#include "llm/providerconfig.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QStackedWidget;

namespace rs::ui {

class KeychainKeyResolver;

/// The form for one provider: name, kind, base URL (and replicas of it), model, key source and
/// limits. A keychain
/// key is typed into a password field and stored at once with "Store key"; the field is then
/// cleared and the key is never shown again (only whether one is stored).
class ProviderEditor final : public QWidget {
    Q_OBJECT

public:
    explicit ProviderEditor(std::shared_ptr<KeychainKeyResolver> keys, QWidget *parent = nullptr);

    /// Shows `provider`; the name can only change while it is not saved yet (judge runs and
    /// the keychain entry are named after it).
    void setProvider(const llm::ProviderConfig &provider, bool nameEditable);
    /// Empties and disables the form (no provider selected).
    void clear();
    llm::ProviderConfig provider() const;
    /// What must be fixed before saving, empty when the form is complete.
    QString problem() const { return problemOf(provider()); }
    static QString problemOf(const llm::ProviderConfig &provider);

Q_SIGNALS:
    /// The user changed a field.
    void edited();
    /// A key was stored in the keychain under `providerName`.
    void keyStored(const QString &providerName);

private:
    QWidget *createKeyRow();
    QWidget *createLimitsRow();
    void onKindChanged();
    void onKeySourceChanged();
    void showKeyPage(int page);
    void refreshKeyStatus();
    void setKeyStatus(const QString &text);
    void storeKey();

    std::shared_ptr<KeychainKeyResolver> m_keys;
    QLineEdit *m_name = nullptr;
    QComboBox *m_kind = nullptr;
    QLineEdit *m_baseUrl = nullptr;
    QLineEdit *m_replicaUrls = nullptr; ///< more base URLs serving the same model, comma-separated
    QLineEdit *m_model = nullptr;
    QComboBox *m_keySource = nullptr;
    QStackedWidget *m_keyPages = nullptr;
    QLineEdit *m_envName = nullptr;
    QLineEdit *m_fallbackEnv = nullptr;
    QLineEdit *m_secret = nullptr;
    QPushButton *m_storeKey = nullptr;
    QLabel *m_keyStatus = nullptr;
    QSpinBox *m_concurrency = nullptr;
    QSpinBox *m_requestsPerMinute = nullptr;
    QSpinBox *m_tokensPerMinute = nullptr;
    QSpinBox *m_timeoutSeconds = nullptr;
    QSpinBox *m_retries = nullptr;
    quint64 m_statusGeneration = 0;
    bool m_loading = false;
};

} // namespace rs::ui
