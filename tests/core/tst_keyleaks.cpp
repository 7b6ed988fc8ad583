// No API key reaches an export, an output or a log: every CLI command that prints or writes
// data runs with a fake key set, at full logging, and everything it printed or wrote is
// searched for the key. To cover a new exporter (pack export, batch export, ...), add its
// command line to exporterCommands(); files it writes under the temporary folder are searched.
#include "testsupport.h"

#include "llm/providerconfig.h"
#include "llm/providerregistry.h"
#include "serverprocess.h"

#include <QDirIterator>
#include <QProcess>
#include <QStandardPaths>

using namespace rs;

namespace {

const QByteArray kKey = "sk-rs-leakcheck-7f3a9c2e5b1d4068";

} // namespace

class KeyLeaks final : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_project;
    QProcessEnvironment m_env;
    QByteArray m_printed; // everything every command printed, stdout and stderr

    int cli(const QStringList &args)
    {
        QProcess p;
        p.setProcessEnvironment(m_env);
        p.start(QStringLiteral(RS_CLI), args);
        if (!p.waitForFinished(120000))
            return -1;
        m_printed += p.readAllStandardOutput() + p.readAllStandardError();
        return p.exitCode();
    }

    /// Every command that prints or writes data. Paths under m_dir are searched afterwards.
    QList<QStringList> exporterCommands() const
    {
        return {
            {QStringLiteral("stats"), m_project},
            {QStringLiteral("stats"), m_project, QStringLiteral("--json")},
            {QStringLiteral("scores"), m_project},
            {QStringLiteral("scores"), m_project, QStringLiteral("--json")},
            {QStringLiteral("export"), m_project, QStringLiteral("--format"), QStringLiteral("native"),
             QStringLiteral("--out"), m_dir.filePath(QStringLiteral("pack-native"))},
            {QStringLiteral("export"), m_project, QStringLiteral("--format"), QStringLiteral("paper"),
             QStringLiteral("--out"), m_dir.filePath(QStringLiteral("pack-paper"))},
            {QStringLiteral("export-verdicts"), m_project, QStringLiteral("--out"),
             m_dir.filePath(QStringLiteral("verdicts.jsonl"))},
            // New exporters go here, writing below m_dir.
        };
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_project = m_dir.filePath(QStringLiteral("p.rubrics"));
        m_env = QProcessEnvironment::systemEnvironment();
        // The CLI's settings, caches and data go below the temporary folder, so they are
        // searched too and the user's real ones are left alone.
        for (const char *var : {"XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"})
            m_env.insert(QString::fromLatin1(var), m_dir.filePath(QString::fromLatin1(var).toLower()));
        m_env.insert(QStringLiteral("RS_LEAK_KEY"), QString::fromLatin1(kKey));
        m_env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("studio.*=true"));
    }

    void everyOutputAndFile_isFreeOfTheKey()
    {
        test::ServerProcess server;
        QVERIFY(server.start({QStringLiteral("--fault-rate"), QStringLiteral("0.2"),
                              QStringLiteral("--faults"), QStringLiteral("429,500,malformed"),
                              QStringLiteral("--retry-after"), QStringLiteral("0")}));
        const QString baseUrl = server.baseUrl() + QStringLiteral("/v1");

        // A saved provider naming the key's variable, as the studio's providers dialog saves it.
        llm::ProviderConfig saved;
        saved.name = QStringLiteral("leakcheck");
        saved.baseUrl = baseUrl;
        saved.model = QStringLiteral("test-judge");
        saved.keySource = llm::KeySource::Environment;
        saved.keyEnv = QStringLiteral("RS_LEAK_KEY");
        llm::ProviderRegistry registry;
        registry.upsert(saved);
        const QString providersJson = m_env.value(QStringLiteral("XDG_CONFIG_HOME"))
                                      + QStringLiteral("/RubricStudio/Rubric Studio/providers.json");
        QVERIFY(QDir().mkpath(QFileInfo(providersJson).absolutePath()));
        QVERIFY(registry.save(providersJson).ok());

        const QString data = test::writeFile(
            m_dir, QStringLiteral("r.jsonl"),
            "{\"q\":\"What is 2+2?\",\"a\":\"4\",\"m\":\"g1\"}\n"
            "{\"q\":\"What is 2+2?\",\"a\":\"Four, since 2+2=4.\",\"m\":\"g2\"}\n"
            "{\"q\":\"Name a colour.\",\"a\":\"Blue.\",\"m\":\"g1\"}\n");
        const QString rubrics = test::writeFile(
            m_dir, QStringLiteral("rub.jsonl"),
            "{\"prompt\":\"What is 2+2?\",\"rubrics\":[{\"criterion\":\"Says 4\",\"weight\":2}]}\n"
            "{\"prompt\":\"Name a colour.\",\"rubrics\":[{\"criterion\":\"Names one\",\"weight\":1}]}\n");
        QCOMPARE(cli({QStringLiteral("new"), m_project}), 0);
        QCOMPARE(cli({QStringLiteral("import"), m_project, data, QStringLiteral("--format"),
                      QStringLiteral("jsonl"), QStringLiteral("--map"),
                      QStringLiteral("prompt=q,response=a,generator=m")}),
                 0);
        QCOMPARE(cli({QStringLiteral("import"), m_project, rubrics, QStringLiteral("--format"),
                      QStringLiteral("rubrics")}),
                 0);
        // Judging through the saved provider and ad hoc, a preview, and a failing endpoint
        // (whose error text is where a key would most likely slip out).
        QCOMPARE(cli({QStringLiteral("judge"), m_project, QStringLiteral("--provider"),
                      QStringLiteral("leakcheck"), QStringLiteral("--preview")}),
                 0);
        QCOMPARE(cli({QStringLiteral("judge"), m_project, QStringLiteral("--provider"),
                      QStringLiteral("leakcheck"), QStringLiteral("--retries"), QStringLiteral("6")}),
                 0);
        QCOMPARE(cli({QStringLiteral("judge"), m_project, QStringLiteral("--base-url"), baseUrl,
                      QStringLiteral("--model"), QStringLiteral("test-judge"), QStringLiteral("--key-env"),
                      QStringLiteral("RS_LEAK_KEY"), QStringLiteral("--votes"), QStringLiteral("3"),
                      QStringLiteral("--retries"), QStringLiteral("6")}),
                 0);
        const int failing = cli({QStringLiteral("judge"), m_project, QStringLiteral("--base-url"),
                                 QStringLiteral("http://127.0.0.1:1/v1"), QStringLiteral("--model"),
                                 QStringLiteral("other-judge"), QStringLiteral("--key-env"),
                                 QStringLiteral("RS_LEAK_KEY"), QStringLiteral("--retries"),
                                 QStringLiteral("0"), QStringLiteral("--timeout-ms"), QStringLiteral("2000")});
        QVERIFY2(failing == 3 || failing == 1, qPrintable(QString::number(failing)));
        for (const QStringList &command : exporterCommands())
            QVERIFY2(cli(command) == 0, qPrintable(command.join(QLatin1Char(' '))));

        QVERIFY(m_printed.contains("verdicts") || m_printed.contains("reward")); // commands ran
        QVERIFY2(!m_printed.contains(kKey), "a command printed the key");
        QVERIFY(!m_printed.contains(kKey.right(12)));

        // Every file below the temporary folder: the project and its WAL, providers.json, caches,
        // logs, exports.
        int searched = 0;
        QDirIterator it(m_dir.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            if (path == data || path == rubrics)
                continue;
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray bytes = f.readAll();
            QVERIFY2(!bytes.contains(kKey), qPrintable(path));
            QVERIFY2(!bytes.contains(kKey.right(12)), qPrintable(path));
            ++searched;
        }
        QVERIFY(searched >= 2); // at least the project and providers.json
        QFile providers(providersJson);
        QVERIFY(providers.open(QIODevice::ReadOnly));
        QVERIFY(providers.readAll().contains("RS_LEAK_KEY")); // the variable's name, not its value
    }
};

QTEST_GUILESS_MAIN(KeyLeaks)
#include "tst_keyleaks.moc"
