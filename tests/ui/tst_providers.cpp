// Providers: the list model under QAbstractItemModelTester, the providers dialog saving and
// reloading providers.json with no key in it (nor in the settings), and its Test button
// against the local LLM test server: under each server profile the capabilities shown and
// stored are what that profile's rules allow (tests/llmserver/README.md, Profiles), a
// cancelled test leaves the store as it was, and errors come without the key.

#include "common/roles.h"
#include "llm/capabilitystore.h"
#include "providers/keychainaccess.h"
#include "providers/keychainkeyresolver.h"
#include "providers/providereditor.h"
#include "providers/providerlistmodel.h"
#include "providers/providerprobe.h"
#include "providers/providersdialog.h"
#include "serverprocess.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QDir>
#include <QTest>
#include <QTextDocument>
#include <QThreadPool>

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

using Shown = QHash<QString, QString>; ///< a capability's label → the value shown

/// The capabilities label as label → value: its table's cells come out of the rich text one
/// per line, after the title line.
QHash<QString, QString> shownCapabilities(const QLabel *label) {
    QTextDocument doc;
    doc.setHtml(label->text());
    const QStringList lines = doc.toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QHash<QString, QString> out;
    for (qsizetype i = 1; i + 1 < lines.size(); i += 2)
        out.insert(lines[i].trimmed(), lines[i + 1].trimmed());
    return out;
}

/// The stored entry of `p` in capabilities.json, read from the file (key: API kind, base URL
/// without a trailing slash, model).
QJsonObject storedCapabilities(const llm::ProviderConfig &p) {
    const QString key = (p.kind == llm::ProviderKind::Anthropic ? QStringLiteral("anthropic")
                                                                : QStringLiteral("openai")) +
                        QLatin1Char('|') + p.baseUrl + QLatin1Char('|') + p.model;
    return QJsonDocument::fromJson(readAll(llm::CapabilityStore::defaultPath()))
        .object()
        .value(QStringLiteral("models"))
        .toObject()
        .value(key)
        .toObject();
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
    void test_showsAndStoresWhatTheProfileAllows_data();
    void test_showsAndStoresWhatTheProfileAllows();
    void test_cancelledLeavesTheStoreAsItWas();
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
    // Entries of earlier runs name other ports; start from an empty store all the same.
    QFile::remove(llm::CapabilityStore::defaultPath());
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
    // Two judge replicas, written as --base-url takes them (commas, spaces).
    typeInto(editor, "providerReplicaUrls",
             QStringLiteral("http://127.0.0.1:8001/v1, http://127.0.0.1:8002/v1"));
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
    QCOMPARE(openai.replicaUrls, (QStringList{QStringLiteral("http://127.0.0.1:8001/v1"),
                                              QStringLiteral("http://127.0.0.1:8002/v1")}));
    const llm::ProviderConfig claude = reloaded.provider(reloaded.rowOf(QStringLiteral("claude")));
    QCOMPARE(claude.kind, llm::ProviderKind::Anthropic);
    QCOMPARE(claude.keySource, llm::KeySource::Keychain);

    // A saved provider keeps its name: judge runs and the keychain entry refer to it.
    ProvidersDialog again(reloaded, m_keys);
    again.selectProvider(QStringLiteral("claude"));
    QVERIFY(again.editor()->findChild<QLineEdit *>(QStringLiteral("providerName"))->isReadOnly());
    // Its replicas are shown again, and kept by an edit of another field.
    again.selectProvider(QStringLiteral("openai-judge"));
    QCOMPARE(again.editor()->findChild<QLineEdit *>(QStringLiteral("providerReplicaUrls"))->text(),
             QStringLiteral("http://127.0.0.1:8001/v1, http://127.0.0.1:8002/v1"));
    QCOMPARE(again.editor()->provider().replicaUrls, openai.replicaUrls);
    if (const QString shots = qEnvironmentVariable("RS_SCREENSHOT_DIR"); !shots.isEmpty()) {
        again.resize(900, 560);
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        QVERIFY(again.grab().save(QDir(shots).filePath(QStringLiteral("screenshot-providers.png"))));
    }
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

    typeInto(dialog.editor(), "providerBaseUrl", QStringLiteral("http://127.0.0.1:8000/v1"));
    typeInto(dialog.editor(), "providerReplicaUrls", QStringLiteral("http://127.0.0.1:8001/v1, ftp://x"));
    dialog.save();
    QVERIFY2(dialog.statusLabel()->text().contains(QLatin1String("Replica \"ftp://x\"")),
             qPrintable(dialog.statusLabel()->text()));
    QVERIFY(!QFile::exists(path));
}

void TestProviders::test_showsAndStoresWhatTheProfileAllows_data() {
    QTest::addColumn<QString>("profile");
    QTest::addColumn<bool>("anthropic");
    QTest::addColumn<QString>("model");
    // What the summary must say, label by label; the same facts are checked in the store.
    QTest::addColumn<Shown>("shown");
    const QString chat = QStringLiteral("Chat Completions");
    // vllm and llamacpp: OpenAI chat with temperature >= 0, seed, max_tokens, logprobs, schemas.
    for (const char *local : {"vllm", "llamacpp"})
        QTest::newRow(local) << QString::fromLatin1(local) << false << QStringLiteral("m")
                             << Shown{{QStringLiteral("API"), chat},
                                      {QStringLiteral("Logprobs"), QStringLiteral("yes")},
                                      {QStringLiteral("Temperature"), QStringLiteral("0–2")},
                                      {QStringLiteral("Seed"), QStringLiteral("yes")},
                                      {QStringLiteral("Token limit"), QStringLiteral("max_tokens")},
                                      {QStringLiteral("Structured output"),
                                       QStringLiteral("JSON schema, JSON object")}};
    // o-series: max_tokens and temperature refused, logprobs forbidden (403).
    QTest::newRow("openai-reasoning")
        << QStringLiteral("openai") << false << QStringLiteral("rs-reasoning-1")
        << Shown{{QStringLiteral("API"), chat},
                 {QStringLiteral("Logprobs"), QStringLiteral("no")},
                 {QStringLiteral("Temperature"), QStringLiteral("refused")},
                 {QStringLiteral("Seed"), QStringLiteral("yes")},
                 {QStringLiteral("Token limit"), QStringLiteral("max_completion_tokens")}};
    // Served only by /v1/responses, which takes no seed and no logprobs.
    QTest::newRow("openai-responses-only")
        << QStringLiteral("openai") << false << QStringLiteral("rs-responses-only-1")
        << Shown{{QStringLiteral("API"), QStringLiteral("Responses")},
                 {QStringLiteral("Logprobs"), QStringLiteral("no")},
                 {QStringLiteral("Temperature"), QStringLiteral("refused")},
                 {QStringLiteral("Seed"), QStringLiteral("no")},
                 {QStringLiteral("Token limit"), QStringLiteral("max_output_tokens")}};
    // Older Claude: temperature up to 1, thinking budgets, no effort levels (model description).
    QTest::newRow("anthropic-older")
        << QStringLiteral("anthropic") << true << QStringLiteral("claude-test")
        << Shown{{QStringLiteral("API"), QStringLiteral("Messages")},
                 {QStringLiteral("Logprobs"), QStringLiteral("no")},
                 {QStringLiteral("Temperature"), QStringLiteral("0–1")},
                 {QStringLiteral("Seed"), QStringLiteral("no")},
                 {QStringLiteral("Token limit"), QStringLiteral("max_tokens")},
                 {QStringLiteral("Reasoning effort"), QStringLiteral("refused")},
                 {QStringLiteral("Thinking"), QStringLiteral("budgets (type “enabled”)")},
                 {QStringLiteral("Structured output"), QStringLiteral("JSON schema, forced tool")}};
    // Claude 5-like: no temperature, adaptive thinking only, every effort level.
    QTest::newRow("anthropic-new")
        << QStringLiteral("anthropic") << true << QStringLiteral("rs-claude-new-1")
        << Shown{{QStringLiteral("API"), QStringLiteral("Messages")},
                 {QStringLiteral("Temperature"), QStringLiteral("refused")},
                 {QStringLiteral("Reasoning effort"),
                  QStringLiteral("low, medium, high, xhigh, max")},
                 {QStringLiteral("Thinking"), QStringLiteral("adaptive only")}};
}

void TestProviders::test_showsAndStoresWhatTheProfileAllows() {
    QFETCH(QString, profile);
    QFETCH(bool, anthropic);
    QFETCH(QString, model);
    QFETCH(Shown, shown);
    test::ServerProcess server;
    QVERIFY2(server.start({QStringLiteral("--profile"), profile}),
             qPrintable(server.errorString()));
    llm::ProviderConfig p =
        localProvider(QStringLiteral("local"), server.baseUrl() + QStringLiteral("/v1"));
    p.model = model;
    if (anthropic)
        p.kind = llm::ProviderKind::Anthropic;
    ProviderListModel shared(m_dir.filePath(QStringLiteral("test-providers.json")));
    shared.setProviders({p});
    ProvidersDialog dialog(shared, m_keys);
    dialog.show();
    dialog.selectProvider(p.name);
    QVERIFY(dialog.capabilitiesLabel()->isHidden());
    dialog.testProvider();
    QTRY_VERIFY_WITH_TIMEOUT(!dialog.statusLabel()->text().startsWith(QLatin1String("Testing")),
                             kTimeoutMs);
    const QString status = dialog.statusLabel()->text();
    QVERIFY2(status.startsWith(QLatin1String("OK in ")) && status.contains(QLatin1String(" ms")),
             qPrintable(status));
    QVERIFY(!dialog.capabilitiesLabel()->isHidden());
    QVERIFY(dialog.capabilitiesLabel()->text().contains(model));

    const QHash<QString, QString> summary = shownCapabilities(dialog.capabilitiesLabel());
    for (auto it = shown.cbegin(); it != shown.cend(); ++it)
        QVERIFY2(summary.value(it.key()) == it.value(),
                 qPrintable(QStringLiteral("%1: shown \"%2\", expected \"%3\"")
                                .arg(it.key(), summary.value(it.key()), it.value())));

    // The same facts are in the store, where the next run's scheduler reads them.
    const QJsonObject stored = storedCapabilities(p);
    QVERIFY2(!stored.isEmpty(), "nothing stored for the provider's model");
    const auto flag = [&](const char *key) { return stored.value(QLatin1String(key)).toBool(); };
    QCOMPARE(flag("logprobs"), shown.value(QStringLiteral("Logprobs")) == QLatin1String("yes"));
    QCOMPARE(flag("temperature"),
             shown.value(QStringLiteral("Temperature")) != QLatin1String("refused"));
    if (shown.contains(QStringLiteral("Seed")))
        QCOMPARE(flag("seed"), shown.value(QStringLiteral("Seed")) == QLatin1String("yes"));
    QCOMPARE(flag("responses_api"),
             shown.value(QStringLiteral("API")) == QLatin1String("Responses"));
    if (shown.contains(QStringLiteral("Token limit")) && !anthropic)
        QCOMPARE(flag("max_completion_tokens"), shown.value(QStringLiteral("Token limit")) ==
                                                    QLatin1String("max_completion_tokens"));
    if (shown.value(QStringLiteral("Temperature")) == QLatin1String("0–1"))
        QCOMPARE(stored.value(QStringLiteral("temperature_max")).toDouble(), 1.0);
    if (shown.contains(QStringLiteral("Thinking")))
        QCOMPARE(flag("thinking_enabled"),
                 shown.value(QStringLiteral("Thinking")).startsWith(QLatin1String("budgets")));
}

void TestProviders::test_cancelledLeavesTheStoreAsItWas() {
    // The request is held for a minute: only a cancel ends the probe before its 30 s cap.
    test::ServerProcess server;
    QVERIFY2(server.start({QStringLiteral("--fault-rate"), QStringLiteral("1"),
                           QStringLiteral("--faults"), QStringLiteral("stall"),
                           QStringLiteral("--stall-ms"), QStringLiteral("60000")}),
             qPrintable(server.errorString()));
    llm::ProviderConfig p =
        localProvider(QStringLiteral("stalling"), server.baseUrl() + QStringLiteral("/v1"));
    p.timeoutMs = 120000;
    llm::ModelCapabilities known = llm::ModelCapabilities::defaultsFor(p.kind);
    known.temperature = false;
    known.lessons << QStringLiteral("no temperature");
    QVERIFY(llm::CapabilityStore::shared()->put(p, known).ok());
    const QJsonObject before = storedCapabilities(p);
    QCOMPARE(before.value(QStringLiteral("temperature")).toBool(), false);

    ProviderProbe probe(m_keys);
    int finished = 0;
    connect(&probe, &ProviderProbe::finished, this, [&finished] { ++finished; });
    probe.start(p);
    QTRY_VERIFY_WITH_TIMEOUT(server.stats()
                                     .value(QStringLiteral("by_fault"))
                                     .toObject()
                                     .value(QStringLiteral("stall"))
                                     .toInt() == 1,
                             kTimeoutMs);
    QVERIFY(probe.isRunning());
    probe.cancel();
    QVERIFY(!probe.isRunning());
    // The worker ends long before the request's 30 s timeout, and says nothing.
    QVERIFY(QThreadPool::globalInstance()->waitForDone(15000));
    QCoreApplication::processEvents();
    QCOMPARE(finished, 0);
    QCOMPARE(storedCapabilities(p), before);
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
    // Nothing was found to rely on: no summary, and the key is in no file.
    QVERIFY(dialog.capabilitiesLabel()->isHidden());
    QVERIFY(!readAll(llm::CapabilityStore::defaultPath()).contains(kSecret));

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
