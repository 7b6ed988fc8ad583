#pragma once

#include <QObject>
#include <QString>

namespace QKeychain {
class Job;
}

namespace rs::ui {

/// Asynchronous access to the system keychain (Secret Service or KWallet on Linux, the macOS
/// Keychain, the Windows credential store) through QtKeychain. Entries live under the service
/// "rubric-studio" and are named after the provider. Lives on the GUI thread, where
/// QtKeychain's jobs run.
///
/// Every request finishes exactly once, within the timeout: a keychain that never answers (a
/// wallet waiting for an unlock prompt nobody sees, a session bus with nothing behind it)
/// reports TimedOut instead of leaving a judge run waiting for ever. Secrets never go to
/// QSettings: QtKeychain's plain-text fallback is switched off.
class KeychainAccess final : public QObject {
    Q_OBJECT

public:
    enum class Outcome {
        Ok,
        NotFound,    ///< the keychain works, but holds no such entry
        Unavailable, ///< no keychain service (headless, no Secret Service or KWallet running)
        Denied,      ///< the user or the system refused access
        TimedOut,    ///< no answer within the timeout
    };
    Q_ENUM(Outcome)

    static constexpr int kDefaultTimeoutMs = 30000;
    static QString serviceName();

    explicit KeychainAccess(QObject *parent = nullptr);

    void setTimeout(int ms) { m_timeoutMs = ms; }
    int timeout() const { return m_timeoutMs; }

    void read(const QString &entry);
    void write(const QString &entry, const QString &secret);
    void remove(const QString &entry);

Q_SIGNALS:
    /// `secret` is set only with Ok; `detail` is the keychain's own reason otherwise.
    void readFinished(const QString &entry, rs::ui::KeychainAccess::Outcome outcome,
                      const QString &secret, const QString &detail);
    void writeFinished(const QString &entry, rs::ui::KeychainAccess::Outcome outcome,
                       const QString &detail);
    void removeFinished(const QString &entry, rs::ui::KeychainAccess::Outcome outcome,
                        const QString &detail);

private:
    template <typename Done> void run(QKeychain::Job *job, Done done);

    int m_timeoutMs = kDefaultTimeoutMs;
};

} // namespace rs::ui
