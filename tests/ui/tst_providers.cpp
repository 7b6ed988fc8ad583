// Providers: the list model under QAbstractItemModelTester, the providers dialog saving and
// reloading providers.json with no key in it (nor in the settings), and its Test button
// against the local LLM test server: an answer with latency and tokens, an error without a key.

#include "providers/keychainaccess.h"
#include "providers/keychainkeyresolver.h"
#include "providers/providereditor.h"
#include "providers/providerlistmodel.h"
#include "providers/providerprobe.h"
#include "providers/providersdialog.h"
#include "common/roles.h"
#include "serverprocess.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace rs;
using namespace rs::ui;

namespace {

constexpr int kTimeoutMs = 20000;
const QByteArray kSecret = "sk-rs-test-SECRET-0123456789";

llm::ProviderConfig localProvider(const QString &name, const QString &baseUrl) {
    llm::ProviderConfig p;
    p.name = name;
    p.baseUrl = baseUrl;
    p.model = QStringLiteral("rs-test-chat");
    p.timeoutMs = 5000;
    return p;
}

QByteArray readAll(const QString &path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

/// Types into a field the way a user does, so the editor sees textEdited.
void typeInto(QWidget *root, const char *objectName, const QString &text) {
    auto *edit = root->findChild<QLineEdit *>(QLatin1String(objectName));
    QVERIFY2(edit, objectName);
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

} // namespace

class TestProviders final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup() { QSettings().clear(); }

    void model_passesTheModelTesterThroughEdits();
    void dialog_savesAndReloadsWithoutAnyKey();
    void dialog_refusesIncompleteProviders();
    void test_showsLatencyAnswerAndTokens();
    void test_showsErrorsWithoutTheKey();

private:
    QTemporaryDir m_dir;
    KeychainAccess *m_keychain = nullptr;
    std::shared_ptr<KeychainKeyResolver> m_keys;
};

void TestProviders::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("RubricStudioTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_providers"));
    QVERIFY(m_dir.isValid());
    m_keychain = new KeychainAccess(this);
    m_keychain->setTimeout(4000);
    m_keys = std::make_shared<KeychainKeyResolver>(m_keychain);
}

void TestProviders::model_passesTheModelTesterThroughEdits() {
    const QString path = m_dir.filePath(QStringLiteral("model-providers.json"));
    ProviderListModel seed(path);
    seed.setProviders(
        {localProvider(QStringLiteral("a"), QStringLiteral("http://127.0.0.1:1/v1")),
         localProvider(QStringLiteral("b"), QStringLiteral("http://127.0.0.1:2/v1"))});
    QSignalSpy saved(&seed, &ProviderListModel::saved);
    seed.save();
    QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, kTimeoutMs);

    ProviderListModel model(path);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy loaded(&model, &ProviderListModel::loaded);
    model.load();
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, kTimeoutMs);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(1, ProviderListModel::NameColumn).data().toString(), QStringLiteral("b"));
    QCOMPARE(model.index(0, 0).data(ProviderNameRole).toString(), QStringLiteral("a"));
    QCOMPARE(model.index(0, ProviderListModel::KeyColumn).data().toString(),
             QStringLiteral("none"));

    llm::ProviderConfig c = localProvider(QStringLiteral("c"), QStringLiteral("http://x/v1"));
    c.kind = llm::ProviderKind::Anthropic;
    c.keySource = llm::KeySource::Environment;
    c.keyEnv = QStringLiteral("ANTHROPIC_API_KEY");
    QCOMPARE(model.appendProvider(c), 2);
    QCOMPARE(model.index(2, ProviderListModel::KindColumn).data().toString(),
             QStringLiteral("Anthropic"));
    QCOMPARE(model.index(2, ProviderListModel::KeyColumn).data().toString(),
             QStringLiteral("$ANTHROPIC_API_KEY"));
    c.keySource = llm::KeySource::Keychain;
    model.setProvider(2, c);
    QCOMPARE(model.index(2, ProviderListModel::KeyColumn).data().toString(),
             QStringLiteral("keychain"));
    model.removeProvider(0);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.rowOf(QStringLiteral("c")), 1);
    QCOMPARE(model.rowOf(QStringLiteral("a")), -1);

    // A broken file is reported, not silently treated as empty.
    const QString broken = m_dir.filePath(QStringLiteral("broken.json"));
    QFile f(broken);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{ not json");
    f.close();
    ProviderListModel bad(broken);
    QSignalSpy error(&bad, &ProviderListModel::errorOccurred);
    bad.load();
    QTRY_COMPARE_WITH_TIMEOUT(error.count(), 1, kTimeoutMs);
    QVERIFY(!bad.loadError().isEmpty());
}

void TestProviders::dialog_savesAndReloadsWithoutAnyKey() {
    qputenv("RS_TEST_PROVIDER_KEY", kSecret);
    const QString path = m_dir.filePath(QStringLiteral("dialog-providers.json"));
    ProviderListModel shared(path);
    ProvidersDialog dialog(shared, m_keys);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    ProviderEditor *editor = dialog.editor();

    // An OpenAI-compatible provider with its key in an environment variable.
    dialog.addProvider();
    typeInto(editor, "providerName", QStringLiteral("openai-judge"));
    typeInto(editor, "providerBaseUrl", QStringLiteral("https://api.openai.com/v1"));
    typeInto(editor, "providerModel", QStringLiteral("gpt-4.1"));
    editor->findChild<QComboBox *>(QStringLiteral("providerKeySource"))->setCurrentIndex(1);
    typeInto(editor, "providerKeyEnv", QStringLiteral("RS_TEST_PROVIDER_KEY"));
    QTRY_VERIFY(editor->findChild<QLabel *>(QStringLiteral("keyStatus"))
                    ->text()
                    .contains(QLatin1String("is set")));

    // An Anthropic provider whose key goes to the keychain: typed, stored (or refused
    // offscreen), and in neither case written anywhere else.
    dialog.addProvider();
    typeInto(editor, "providerName", QStringLiteral("claude"));
    editor->findChild<QComboBox *>(QStringLiteral("providerKind"))->setCurrentIndex(1);
    typeInto(editor, "providerBaseUrl", QStringLiteral("https://api.anthropic.com/v1"));
    typeInto(editor, "providerModel", QStringLiteral("claude-sonnet-4-0"));
    editor->findChild<QComboBox *>(QStringLiteral("providerKeySource"))->setCurrentIndex(2);
    typeInto(editor, "providerSecret", QString::fromLatin1(kSecret));
    auto *status = editor->findChild<QLabel *>(QStringLiteral("keyStatus"));
    QTest::mouseClick(editor->findChild<QPushButton *>(QStringLiteral("storeKey")), Qt::LeftButton);
    QCOMPARE(editor->findChild<QLineEdit *>(QStringLiteral("providerSecret"))->text(), QString());
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QLatin1String("keychain")) &&
                                 !status->text().contains(QLatin1String("Storing")),
                             kTimeoutMs);
    QVERIFY(!status->text().contains(QString::fromLatin1(kSecret)));
    const bool storedForReal = m_keys->hasCachedKey(QStringLiteral("claude"));

    auto *concurrency = editor->findChild<QSpinBox *>();
    QVERIFY(concurrency);
    QCOMPARE(dialog.model()->rowCount(), 2);

    QSignalSpy saved(&dialog, &ProvidersDialog::saved);
    dialog.save();
    QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, kTimeoutMs);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(shared.rowCount(), 2);

    const QByteArray json = readAll(path);
    QVERIFY(json.contains("RS_TEST_PROVIDER_KEY"));
    QVERIFY(json.contains("\"keychain\""));
    QVERIFY2(!json.contains(kSecret), json.constData());
    QSettings().sync();
    QVERIFY(!readAll(QSettings().fileName()).contains(kSecret));

    ProviderListModel reloaded(path);
    QSignalSpy loaded(&reloaded, &ProviderListModel::loaded);
    reloaded.load();
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, kTimeoutMs);
    QCOMPARE(reloaded.rowCount(), 2);
    const llm::ProviderConfig openai =
        reloaded.provider(reloaded.rowOf(QStringLiteral("openai-judge")));
    QCOMPARE(openai.model, QStringLiteral("gpt-4.1"));
    QCOMPARE(openai.keySource, llm::KeySource::Environment);
    QCOMPARE(openai.keyEnv, QStringLiteral("RS_TEST_PROVIDER_KEY"));
    const llm::ProviderConfig claude = reloaded.provider(reloaded.rowOf(QStringLiteral("claude")));
    QCOMPARE(claude.kind, llm::ProviderKind::Anthropic);
    QCOMPARE(claude.keySource, llm::KeySource::Keychain);

    // A saved provider keeps its name: judge runs and the keychain entry refer to it.
    ProvidersDialog again(reloaded, m_keys);
    again.selectProvider(QStringLiteral("claude"));
    QVERIFY(again.editor()->findChild<QLineEdit *>(QStringLiteral("providerName"))->isReadOnly());
    if (storedForReal) {
        m_keys->forget(QStringLiteral("claude"));
        QTest::qWait(500);
    }
    qunsetenv("RS_TEST_PROVIDER_KEY");
}

void TestProviders::dialog_refusesIncompleteProviders() {
    const QString path = m_dir.filePath(QStringLiteral("incomplete-providers.json"));
    ProviderListModel shared(path);
    ProvidersDialog dialog(shared, m_keys);
    dialog.show();
    dialog.addProvider(); // no URL, no model
    dialog.save();
    QTest::qWait(200);
    QVERIFY(dialog.statusLabel()->text().contains(QLatin1String("base URL")));
    QVERIFY(!QFile::exists(path));
    QVERIFY(dialog.isVisible());

    typeInto(dialog.editor(), "providerBaseUrl", QStringLiteral("not a url"));
    typeInto(dialog.editor(), "providerModel", QStringLiteral("m"));
    dialog.save();
    QVERIFY(dialog.statusLabel()->text().contains(QLatin1String("http")));
    QVERIFY(!QFile::exists(path));
}

void TestProviders::test_showsLatencyAnswerAndTokens() {
    test::ServerProcess server;
    QVERIFY2(server.start({QStringLiteral("--latency-ms"), QStringLiteral("30")}),
             qPrintable(server.errorString()));
    ProviderListModel shared(m_dir.filePath(QStringLiteral("test-providers.json")));
    shared.setProviders(
        {localProvider(QStringLiteral("local"), server.baseUrl() + QStringLiteral("/v1"))});
    ProvidersDialog dialog(shared, m_keys);
    dialog.show();
    dialog.selectProvider(QStringLiteral("local"));
    dialog.testProvider();
    QTRY_VERIFY_WITH_TIMEOUT(dialog.statusLabel()->text().startsWith(QLatin1String("OK")),
                             kTimeoutMs);
    const QString text = dialog.statusLabel()->text();
    QVERIFY2(text.contains(QLatin1String("Echo: Reply with the word: ready")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String(" ms")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("tokens")), qPrintable(text));

    // The same through the probe, to check the numbers.
    ProviderProbe probe(m_keys);
    std::optional<ProviderProbe::Result> result;
    connect(&probe, &ProviderProbe::finished, this,
            [&result](const ProviderProbe::Result &r) { result = r; });
    probe.start(shared.provider(0));
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), kTimeoutMs);
    const ProviderProbe::Result r = *result;
    QVERIFY(r.ok);
    QVERIFY(r.latencyMs >= 30);
    QVERIFY(r.tokensIn > 0 && r.tokensOut > 0);
}

void TestProviders::test_showsErrorsWithoutTheKey() {
    qputenv("RS_TEST_PROVIDER_KEY", kSecret);
    test::ServerProcess server;
    QVERIFY2(server.start({QStringLiteral("--fault-rate"), QStringLiteral("1"),
                           QStringLiteral("--faults"), QStringLiteral("500")}),
             qPrintable(server.errorString()));
    llm::ProviderConfig p =
        localProvider(QStringLiteral("failing"), server.baseUrl() + QStringLiteral("/v1"));
    p.keySource = llm::KeySource::Environment;
    p.keyEnv = QStringLiteral("RS_TEST_PROVIDER_KEY");
    ProviderListModel shared(m_dir.filePath(QStringLiteral("failing-providers.json")));
    shared.setProviders({p});
    ProvidersDialog dialog(shared, m_keys);
    dialog.show();
    dialog.selectProvider(p.name);
    dialog.testProvider();
    QTRY_VERIFY_WITH_TIMEOUT(dialog.statusLabel()->text().startsWith(QLatin1String("Failed")),
                             kTimeoutMs);
    const QString text = dialog.statusLabel()->text();
    QVERIFY2(text.contains(QLatin1String("500")), qPrintable(text));
    QVERIFY(!text.contains(QString::fromLatin1(kSecret)));

    // Nothing listening: a transport error, promptly, and again without the key.
    p.baseUrl = QStringLiteral("http://127.0.0.1:9/v1");
    shared.setProviders({p});
    ProvidersDialog offline(shared, m_keys);
    offline.show();
    offline.selectProvider(p.name);
    offline.testProvider();
    QTRY_VERIFY_WITH_TIMEOUT(offline.statusLabel()->text().startsWith(QLatin1String("Failed")),
                             kTimeoutMs);
    QVERIFY(!offline.statusLabel()->text().contains(QString::fromLatin1(kSecret)));

    // A missing variable is said before anything is sent.
    qunsetenv("RS_TEST_PROVIDER_KEY");
    offline.testProvider();
    QTRY_VERIFY_WITH_TIMEOUT(
        offline.statusLabel()->text().contains(QLatin1String("RS_TEST_PROVIDER_KEY")), kTimeoutMs);
}

QTEST_MAIN(TestProviders)
#include "tst_providers.moc"
