#include "providers/keychainkeyresolver.h"

#include <QHash>
#include <QThread>

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace rs::ui {
namespace {
// A worker waits a little longer than the keychain's own timeout, which settles every read;
// the margin only matters when the GUI thread is too busy to run the read at all.
constexpr int kWaitMarginMs = 5000;
} // namespace

/// Shared between the GUI thread (reads, writes) and the scheduler threads that call key().
struct KeychainKeyResolver::State {
    enum class Status { Reading, Ready, Failed };
    struct Entry {
        Status status = Status::Reading;
        QString key;
        KeychainAccess::Outcome outcome = KeychainAccess::Outcome::Ok;
        QString detail;
    };

    std::mutex mutex;
    std::condition_variable changed;
    QHash<QString, Entry> entries;
    KeychainAccess *access = nullptr; ///< cleared (under the mutex) when it goes away
    QThread *guiThread = nullptr;
    int waitMs = KeychainAccess::kDefaultTimeoutMs + kWaitMarginMs;

    /// Marks `name` as being read and asks the GUI thread to read it. Call with the mutex held:
    /// the access cannot be destroyed while the request is posted.
    void requestRead(const QString &name) {
        entries.insert(name, Entry{});
        if (!access) {
            entries[name] = Entry{Status::Failed,
                                  {},
                                  KeychainAccess::Outcome::Unavailable,
                                  QStringLiteral("the studio's keychain access is closed")};
            return;
        }
        KeychainAccess *a = access;
        QMetaObject::invokeMethod(
            a, [a, name] { a->read(name); }, Qt::QueuedConnection);
    }

    void settle(const QString &name, Entry entry) {
        {
            std::lock_guard lock(mutex);
            entries.insert(name, std::move(entry));
        }
        changed.notify_all();
    }
};

KeychainKeyResolver::KeychainKeyResolver(KeychainAccess *access)
    : m_state(std::make_shared<State>()) {
    m_state->access = access;
    m_state->guiThread = access->thread();
    m_state->waitMs = access->timeout() + kWaitMarginMs;
    std::weak_ptr<State> weak = m_state;
    QObject::connect(
        access, &KeychainAccess::readFinished, access,
        [weak](const QString &entry, KeychainAccess::Outcome outcome, const QString &secret,
               const QString &detail) {
            if (auto state = weak.lock()) {
                const bool ok = outcome == KeychainAccess::Outcome::Ok;
                state->settle(entry, State::Entry{ok ? State::Status::Ready : State::Status::Failed,
                                                  secret, outcome, detail});
            }
        });
    QObject::connect(access, &QObject::destroyed, access, [weak] {
        auto state = weak.lock();
        if (!state)
            return;
        {
            std::lock_guard lock(state->mutex);
            state->access = nullptr;
            for (auto &e : state->entries)
                if (e.status == State::Status::Reading)
                    e = State::Entry{State::Status::Failed,
                                     {},
                                     KeychainAccess::Outcome::Unavailable,
                                     QStringLiteral("the studio's keychain access is closed")};
        }
        state->changed.notify_all();
    });
}

KeychainKeyResolver::~KeychainKeyResolver() = default;

Expected<QString> KeychainKeyResolver::key(const llm::ProviderConfig &provider) const {
    if (provider.keySource != llm::KeySource::Keychain)
        return KeyResolver::key(provider);

    State &s = *m_state;
    State::Entry entry;
    {
        std::unique_lock lock(s.mutex);
        auto it = s.entries.constFind(provider.name);
        const bool onGuiThread = QThread::currentThread() == s.guiThread;
        // A worker asks again after a failure (the user may have unlocked the wallet since);
        // the GUI thread reports the failure that whenReady() just waited for.
        if (it == s.entries.cend() || (!onGuiThread && it->status == State::Status::Failed))
            s.requestRead(provider.name);
        if (onGuiThread) {
            // Never wait here: the read itself needs this thread. GUI code uses whenReady().
            entry = s.entries.value(provider.name);
            if (entry.status == State::Status::Reading)
                entry = State::Entry{State::Status::Failed,
                                     {},
                                     KeychainAccess::Outcome::TimedOut,
                                     QStringLiteral("the key is still being read")};
        } else {
            const bool settled = s.changed.wait_for(lock, std::chrono::milliseconds(s.waitMs), [&] {
                return s.entries.value(provider.name).status != State::Status::Reading;
            });
            entry = s.entries.value(provider.name);
            if (!settled)
                entry = State::Entry{State::Status::Failed,
                                     {},
                                     KeychainAccess::Outcome::TimedOut,
                                     QStringLiteral("no answer within %1 s").arg(s.waitMs / 1000)};
        }
    }
    if (entry.status == State::Status::Ready)
        return entry.key;
    if (!provider.keyEnv.isEmpty()) {
        const QString fromEnv = qEnvironmentVariable(provider.keyEnv.toLocal8Bit().constData());
        if (!fromEnv.isEmpty())
            return fromEnv;
    }
    return makeError(failureMessage(provider, entry.outcome, entry.detail));
}

void KeychainKeyResolver::whenReady(const llm::ProviderConfig &provider, QObject *context,
                                    std::function<void()> then) {
    if (provider.keySource != llm::KeySource::Keychain) {
        then();
        return;
    }
    const QString name = provider.name;
    KeychainAccess *access = nullptr;
    bool needRead = false;
    {
        std::lock_guard lock(m_state->mutex);
        auto it = m_state->entries.constFind(name);
        if (it != m_state->entries.cend() && it->status == State::Status::Ready) {
            access = nullptr;
        } else {
            access = m_state->access;
            needRead = it == m_state->entries.cend() || it->status == State::Status::Failed;
            if (needRead)
                m_state->entries.insert(name, State::Entry{});
        }
    }
    if (!access) {
        then(); // cached, or no keychain at all: key() answers at once either way
        return;
    }
    // Connected after the state's own handler, so the cache is filled when `then` runs.
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = QObject::connect(
        access, &KeychainAccess::readFinished, context,
        [connection, name, then = std::move(then)](const QString &entry, KeychainAccess::Outcome,
                                                   const QString &, const QString &) {
            if (entry != name)
                return;
            QObject::disconnect(*connection);
            then();
        });
    if (needRead)
        access->read(name);
}

void KeychainKeyResolver::store(const QString &providerName, const QString &secret,
                                QObject *context, std::function<void(const QString &)> done) {
    KeychainAccess *access = nullptr;
    {
        std::lock_guard lock(m_state->mutex);
        access = m_state->access;
    }
    if (!access) {
        done(QStringLiteral("the studio's keychain access is closed"));
        return;
    }
    std::weak_ptr<State> weak = m_state;
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = QObject::connect(
        access, &KeychainAccess::writeFinished, context,
        [connection, weak, providerName, secret, done = std::move(done)](
            const QString &entry, KeychainAccess::Outcome outcome, const QString &detail) {
            if (entry != providerName)
                return;
            QObject::disconnect(*connection);
            if (outcome != KeychainAccess::Outcome::Ok) {
                llm::ProviderConfig p;
                p.name = providerName;
                done(failureMessage(p, outcome, detail));
                return;
            }
            if (auto state = weak.lock())
                state->settle(
                    providerName,
                    State::Entry{State::Status::Ready, secret, KeychainAccess::Outcome::Ok, {}});
            done({});
        });
    access->write(providerName, secret);
}

void KeychainKeyResolver::forget(const QString &providerName) {
    KeychainAccess *access = nullptr;
    {
        std::lock_guard lock(m_state->mutex);
        m_state->entries.remove(providerName);
        access = m_state->access;
    }
    if (access)
        access->remove(providerName);
}

bool KeychainKeyResolver::hasCachedKey(const QString &providerName) const {
    std::lock_guard lock(m_state->mutex);
    return m_state->entries.value(providerName).status == State::Status::Ready;
}

QString KeychainKeyResolver::failureMessage(const llm::ProviderConfig &provider,
                                            KeychainAccess::Outcome outcome,
                                            const QString &detail) {
    // Without any keychain service QtKeychain says only "Unknown error"; say what it means.
    const bool vague = detail.isEmpty() || detail == QLatin1String("Unknown error");
    const QString why = outcome == KeychainAccess::Outcome::Unavailable && vague
                            ? QStringLiteral(" (no Secret Service or KWallet answered)")
                        : detail.isEmpty() ? QString()
                                           : QStringLiteral(" (%1)").arg(detail);
    const QString envHint =
        provider.keyEnv.isEmpty()
            ? QStringLiteral("set the key in an environment variable and choose \"Environment "
                             "variable\" as the key source in Judge › Providers…")
            : QStringLiteral("set %1 in the environment (used when the keychain fails)")
                  .arg(provider.keyEnv);
    switch (outcome) {
    case KeychainAccess::Outcome::NotFound:
        return QStringLiteral("provider \"%1\": no key stored in the system keychain (service "
                              "\"%2\", entry \"%1\"): store one with \"Store key\" in Judge › "
                              "Providers…, or %3")
            .arg(provider.name, KeychainAccess::serviceName(), envHint);
    case KeychainAccess::Outcome::Denied:
        return QStringLiteral("provider \"%1\": access to the system keychain was denied%2; %3")
            .arg(provider.name, why, envHint);
    case KeychainAccess::Outcome::TimedOut:
        return QStringLiteral("provider \"%1\": the system keychain did not answer%2 (is it "
                              "locked?); %3")
            .arg(provider.name, why, envHint);
    case KeychainAccess::Outcome::Ok:
    case KeychainAccess::Outcome::Unavailable:
        break;
    }
    return QStringLiteral("provider \"%1\": no keychain available%2: %3, or start a keychain "
                          "service and store the key there")
        .arg(provider.name, why, envHint);
}

} // namespace rs::ui
