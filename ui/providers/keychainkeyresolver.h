#pragma once

#include "providers/keychainaccess.h"
#include "llm/keyresolver.h"

#include <QPointer>

#include <functional>
#include <memory>

namespace rs::ui {

/// The studio's key resolver: environment variables as in core, plus keys kept in the system
/// keychain (KeySource::Keychain, entry = provider name), read through a KeychainAccess and
/// cached in memory for the session. Keys are never written to settings, logs or projects.
///
/// key() is called by the LLM scheduler on whatever thread submits a job. On a worker thread it
/// asks the GUI thread to read a key it does not have yet and waits for the answer (bounded by
/// the keychain timeout); on the GUI thread it never waits and answers from the cache, so GUI
/// code calls whenReady() first. When the keychain fails and the provider also names an
/// environment variable that is set, that variable is used.
class KeychainKeyResolver final : public llm::KeyResolver {
public:
    /// Construct on the GUI thread; `access` must live there too.
    explicit KeychainKeyResolver(KeychainAccess *access);
    ~KeychainKeyResolver() override;

    Expected<QString> key(const llm::ProviderConfig &provider) const override;

    // GUI thread only:
    /// Runs `then` (on `context`) once key() can answer for `provider` without waiting:
    /// at once for environment and keyless providers, after a keychain read otherwise. A
    /// cached failure is retried, so starting a keychain service later helps.
    void whenReady(const llm::ProviderConfig &provider, QObject *context,
                   std::function<void()> then);
    /// Writes `secret` to the keychain; on success it is also the cached key. `done` gets an
    /// empty string on success, else a message for the user.
    void store(const QString &providerName, const QString &secret, QObject *context,
               std::function<void(const QString &error)> done);
    /// Deletes the provider's keychain entry and forgets the cached key.
    void forget(const QString &providerName);
    /// Whether a key for `providerName` is cached (read or stored during this session).
    bool hasCachedKey(const QString &providerName) const;

    /// The message key() gives for a keychain failure, naming what the user can do instead.
    static QString failureMessage(const llm::ProviderConfig &provider,
                                  KeychainAccess::Outcome outcome, const QString &detail);

    struct State;

private:
    std::shared_ptr<State> m_state;
};

} // namespace rs::ui
