// The studio's key resolver without a keychain service (offscreen CI): every path fails with a
// clear message and in bounded time, on the GUI thread and on workers; environment keys and
// the fallback variable keep working; nothing waits for ever when the keychain goes away.

#include "providers/keychainaccess.h"
#include "providers/keychainkeyresolver.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QUuid>
#include <QtConcurrent/QtConcurrentRun>

using namespace rs;
using namespace rs::ui;

namespace {

constexpr int kKeychainTimeoutMs = 4000;
// The resolver waits up to the keychain's timeout plus a margin; a clean failure is faster.
constexpr int kBoundMs = kKeychainTimeoutMs + 6000;

llm::ProviderConfig keychainProvider(const QString &fallbackEnv = {}) {
    llm::ProviderConfig p;
    // A fresh entry name, so a developer's real keychain (if any) has no such entry.
    p.name = QStringLiteral("rs-test-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    p.baseUrl = QStringLiteral("http://127.0.0.1:9/v1");
    p.model = QStringLiteral("m");
    p.keySource = llm::KeySource::Keychain;
    p.keyEnv = fallbackEnv;
    return p;
}

/// key() on a worker thread, while this (GUI) thread keeps its event loop running for the
/// keychain read the worker asks for.
Expected<QString> keyOnWorker(const KeychainKeyResolver &resolver, const llm::ProviderConfig &p) {
    QElapsedTimer clock;
    clock.start();
    auto future = QtConcurrent::run([&resolver, p] { return resolver.key(p); });
    while (!future.isFinished() && clock.elapsed() < 2 * kBoundMs)
        QTest::qWait(10);
    if (!future.isFinished())
        return makeError(QStringLiteral("worker still waiting"));
    return future.result();
}

} // namespace

class TestKeychain final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void workerKey_failsCleanlyWithoutAKeychain();
    void guiThreadKey_neverWaits();
    void fallbackVariable_isUsedWhenTheKeychainFails();
    void environmentKeys_resolveAsInCore();
    void storingAKey_reportsTheOutcome();
    void keychainGoingAway_releasesWaitingWorkers();
};

void TestKeychain::workerKey_failsCleanlyWithoutAKeychain() {
    KeychainAccess access;
    access.setTimeout(kKeychainTimeoutMs);
    KeychainKeyResolver resolver(&access);
    const llm::ProviderConfig p = keychainProvider();
    const auto key = keyOnWorker(resolver, p);
    QVERIFY(!key.ok()); // an answer, not a hang: keyOnWorker gives up only after 2 × kBoundMs
    const QString message = key.error().message;
    QVERIFY2(message.contains(p.name), qPrintable(message));
    // Offscreen there is no service; on a desktop the fresh entry is simply not there.
    QVERIFY2(message.contains(QLatin1String("no keychain available")) ||
                 message.contains(QLatin1String("no key stored")) ||
                 message.contains(QLatin1String("did not answer")),
             qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("environment")), qPrintable(message));
    qInfo("%s", qPrintable(message));

    // The failure is cached for the GUI thread, and a worker asks again (and fails again).
    QVERIFY(!resolver.key(p).ok());
    QVERIFY(!keyOnWorker(resolver, p).ok());
}

void TestKeychain::guiThreadKey_neverWaits() {
    KeychainAccess access;
    access.setTimeout(kKeychainTimeoutMs);
    KeychainKeyResolver resolver(&access);
    const llm::ProviderConfig p = keychainProvider();

    // No event is processed between the two calls, so the keychain's answer cannot have
    // arrived: the GUI thread gets an answer from the cache, never a wait for the read.
    const auto early = resolver.key(p);
    QVERIFY(!early.ok());

    bool ready = false;
    QObject context;
    resolver.whenReady(p, &context, [&ready] { ready = true; });
    QTRY_VERIFY_WITH_TIMEOUT(ready, kBoundMs);
    const auto after = resolver.key(p);
    QVERIFY(!after.ok());
    QVERIFY(!after.error().message.contains(QLatin1String("still being read")));
    QVERIFY(!resolver.hasCachedKey(p.name));
}

void TestKeychain::fallbackVariable_isUsedWhenTheKeychainFails() {
    qputenv("RS_TEST_FALLBACK_KEY", "sk-fallback-123");
    KeychainAccess access;
    access.setTimeout(kKeychainTimeoutMs);
    KeychainKeyResolver resolver(&access);
    const llm::ProviderConfig p = keychainProvider(QStringLiteral("RS_TEST_FALLBACK_KEY"));
    const auto key = keyOnWorker(resolver, p);
    QVERIFY2(key.ok(), qPrintable(key.ok() ? QString() : key.error().message));
    QCOMPARE(key.value(), QStringLiteral("sk-fallback-123"));

    qunsetenv("RS_TEST_FALLBACK_KEY");
    const auto without = keyOnWorker(resolver, p);
    QVERIFY(!without.ok());
    QVERIFY2(without.error().message.contains(QLatin1String("RS_TEST_FALLBACK_KEY")),
             qPrintable(without.error().message));
    QVERIFY(!without.error().message.contains(QLatin1String("sk-fallback-123")));
}

void TestKeychain::environmentKeys_resolveAsInCore() {
    KeychainAccess access;
    KeychainKeyResolver resolver(&access);
    llm::ProviderConfig p = keychainProvider();
    p.keySource = llm::KeySource::Environment;
    p.keyEnv = QStringLiteral("RS_TEST_ENV_KEY");
    qputenv("RS_TEST_ENV_KEY", "sk-env-456");
    QCOMPARE(resolver.key(p).value(), QStringLiteral("sk-env-456"));
    qunsetenv("RS_TEST_ENV_KEY");
    const auto missing = resolver.key(p);
    QVERIFY(!missing.ok());
    QVERIFY(missing.error().message.contains(QLatin1String("RS_TEST_ENV_KEY")));

    p.keySource = llm::KeySource::None;
    QCOMPARE(resolver.key(p).value(), QString());
    bool ran = false;
    QObject context;
    resolver.whenReady(p, &context, [&ran] { ran = true; });
    QVERIFY(ran); // no keychain involved: at once
}

void TestKeychain::storingAKey_reportsTheOutcome() {
    KeychainAccess access;
    access.setTimeout(kKeychainTimeoutMs);
    KeychainKeyResolver resolver(&access);
    const llm::ProviderConfig p = keychainProvider();
    bool done = false;
    QString error;
    QObject context;
    resolver.store(p.name, QStringLiteral("sk-stored-789"), &context, [&](const QString &e) {
        done = true;
        error = e;
    });
    QTRY_VERIFY_WITH_TIMEOUT(done, kBoundMs);
    if (error.isEmpty()) {
        // A real keychain (a developer's desktop): the key is cached and readable; clean up.
        QVERIFY(resolver.hasCachedKey(p.name));
        QCOMPARE(resolver.key(p).value(), QStringLiteral("sk-stored-789"));
        resolver.forget(p.name);
        QTest::qWait(500);
        return;
    }
    QVERIFY2(error.contains(QLatin1String("keychain")), qPrintable(error));
    QVERIFY(!error.contains(QLatin1String("sk-stored-789")));
    QVERIFY(!resolver.hasCachedKey(p.name));
}

void TestKeychain::keychainGoingAway_releasesWaitingWorkers() {
    auto *access = new KeychainAccess;
    access->setTimeout(KeychainAccess::kDefaultTimeoutMs);
    KeychainKeyResolver resolver(access);
    const llm::ProviderConfig p = keychainProvider();
    auto future = QtConcurrent::run([&resolver, p] { return resolver.key(p); });
    QThread::msleep(100); // let the worker post its read; it is not run: no events here
    delete access;
    // The default timeout is far longer than this: finishing within it means the deletion,
    // not the timeout, released the worker.
    QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), KeychainAccess::kDefaultTimeoutMs / 2);
    QVERIFY(!future.result().ok());
    QVERIFY(!resolver.key(p).ok());
}

QTEST_MAIN(TestKeychain)
#include "tst_keychain.moc"
