#include "providers/keychainaccess.h"

#include "common/uilogging.h"

#include <QTimer>
#include <qt6keychain/keychain.h>

#include <memory>

namespace rs::ui {
namespace {

KeychainAccess::Outcome outcomeOf(QKeychain::Error error) {
    switch (error) {
    case QKeychain::NoError:
        return KeychainAccess::Outcome::Ok;
    case QKeychain::EntryNotFound:
        return KeychainAccess::Outcome::NotFound;
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return KeychainAccess::Outcome::Denied;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::OtherError:
        // Without a keychain service QtKeychain often says no more than "Unknown error"
        // (its GNOME Keyring fallback fails to load); to the user that is "no keychain".
        break;
    }
    return KeychainAccess::Outcome::Unavailable;
}

} // namespace

QString KeychainAccess::serviceName() {
    return QStringLiteral("rubric-studio");
}

KeychainAccess::KeychainAccess(QObject *parent)
    : QObject(parent) {}

template <typename Done> void KeychainAccess::run(QKeychain::Job *job, Done done) {
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never a plain-text copy in QSettings
    // The job and the timer race; whichever comes first settles the request. A job that
    // answers after its timeout is left to finish and delete itself, unheard.
    auto settled = std::make_shared<bool>(false);
    auto *timer = new QTimer(this);
    timer->setSingleShot(true);
    connect(job, &QKeychain::Job::finished, this, [settled, timer, done](QKeychain::Job *j) {
        if (*settled)
            return;
        *settled = true;
        timer->deleteLater();
        done(outcomeOf(j->error()), j->errorString(), j);
    });
    connect(timer, &QTimer::timeout, this, [this, settled, timer, job, done] {
        if (*settled)
            return;
        *settled = true;
        timer->deleteLater();
        job->disconnect(this);
        done(Outcome::TimedOut, tr("no answer within %1 s").arg((m_timeoutMs + 999) / 1000),
             nullptr);
    });
    timer->start(m_timeoutMs);
    job->start();
}

void KeychainAccess::read(const QString &entry) {
    auto *job = new QKeychain::ReadPasswordJob(serviceName());
    job->setKey(entry);
    run(job, [this, entry](Outcome outcome, const QString &detail, QKeychain::Job *j) {
        QString secret;
        if (outcome == Outcome::Ok)
            secret = static_cast<QKeychain::ReadPasswordJob *>(j)->textData();
        if (outcome == Outcome::Ok && secret.isEmpty())
            outcome = Outcome::NotFound; // an empty entry is no key
        if (outcome != Outcome::Ok)
            qCInfo(lcUi) << "keychain read of" << entry << "failed:" << outcome << detail;
        Q_EMIT readFinished(entry, outcome, secret, outcome == Outcome::Ok ? QString() : detail);
    });
}

void KeychainAccess::write(const QString &entry, const QString &secret) {
    auto *job = new QKeychain::WritePasswordJob(serviceName());
    job->setKey(entry);
    job->setTextData(secret);
    run(job, [this, entry](Outcome outcome, const QString &detail, QKeychain::Job *) {
        if (outcome != Outcome::Ok)
            qCInfo(lcUi) << "keychain write of" << entry << "failed:" << outcome << detail;
        Q_EMIT writeFinished(entry, outcome, outcome == Outcome::Ok ? QString() : detail);
    });
}

void KeychainAccess::remove(const QString &entry) {
    auto *job = new QKeychain::DeletePasswordJob(serviceName());
    job->setKey(entry);
    run(job, [this, entry](Outcome outcome, const QString &detail, QKeychain::Job *) {
        if (outcome == Outcome::NotFound)
            outcome = Outcome::Ok; // nothing to remove is what was asked for
        Q_EMIT removeFinished(entry, outcome, outcome == Outcome::Ok ? QString() : detail);
    });
}

} // namespace rs::ui
