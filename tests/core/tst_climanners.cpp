// The command-line tool's manners: every listed command answers --help with its own usage on
// stdout and exit 0; a successful command says nothing on stderr (a pipe, not a terminal)
// unless --verbose; the imports history keeps the real record and skip counts; a bad field in a
// pretty-printed record is reported at the field's line, not the record's first.
#include "testsupport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>

using namespace rs;

namespace {

struct Run {
    int code = -1;
    QByteArray out;
    QByteArray err;
};

Run cli(const QStringList &args) {
    QProcess p;
    p.start(QStringLiteral(RS_CLI), args);
    if (!p.waitForFinished(60000))
        return {};
    return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
}

QJsonObject lastImportSummary(const QString &project) {
    auto db = store::Database::open(project, store::Database::Mode::ReadOnly);
    if (!db)
        return {};
    auto st = db->prepare("SELECT summary FROM imports ORDER BY id DESC LIMIT 1");
    if (!st)
        return {};
    auto row = st->step();
    if (!row || !*row)
        return {};
    return QJsonDocument::fromJson(st->columnText(0).toUtf8()).object();
}

// Three records, pretty-printed as AlpacaEval writes them; the second record's "output" is a
// number, on line 9 of the file.
const char kOutputs[] = "[\n"
                        "  {\n"
                        "    \"instruction\": \"Name a prime.\",\n"
                        "    \"output\": \"Seven.\",\n"
                        "    \"generator\": \"m1\"\n"
                        "  },\n"
                        "  {\n"
                        "    \"instruction\": \"Name an even number.\",\n"
                        "    \"output\": 4,\n"
                        "    \"generator\": \"m1\"\n"
                        "  },\n"
                        "  {\n"
                        "    \"instruction\": \"Name a colour.\",\n"
                        "    \"output\": \"Teal.\",\n"
                        "    \"generator\": \"m1\"\n"
                        "  }\n"
                        "]\n";

} // namespace

class CliManners final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void everyListedCommand_answersHelpWithItsOwnUsage() {
        const Run list = cli({QStringLiteral("--help")});
        QCOMPARE(list.code, 0);
        static const QRegularExpression line(QStringLiteral("^  ([a-z][a-z-]+)( |$)"),
                                             QRegularExpression::MultilineOption);
        QStringList commands;
        for (auto it = line.globalMatch(QString::fromUtf8(list.out)); it.hasNext();)
            commands << it.next().captured(1);
        QVERIFY2(commands.size() >= 20, qPrintable(commands.join(QLatin1Char(' '))));
        for (const QString &c :
             {QStringLiteral("import"), QStringLiteral("judge"), QStringLiteral("metrics"),
              QStringLiteral("rubric"), QStringLiteral("batch-export"), QStringLiteral("collect")})
            QVERIFY2(commands.contains(c), qPrintable(c));
        for (const QString &c : commands) {
            const Run help = cli({c, QStringLiteral("--help")});
            QVERIFY2(help.code == 0,
                     qPrintable(c + QStringLiteral(" --help exits ") + QString::number(help.code)));
            const QByteArray usage = "usage: rubric-studio-cli " + c.toUtf8();
            QVERIFY2(help.out.startsWith(usage),
                     qPrintable(c + QStringLiteral(": ") + QString::fromUtf8(help.out.left(80))));
            QVERIFY2(help.err.isEmpty(),
                     qPrintable(c + QStringLiteral(": ") + QString::fromUtf8(help.err)));
        }
        // Mistakes still exit 2 with the usage on stderr.
        const Run bad = cli({QStringLiteral("import"), QStringLiteral("--no-such-option")});
        QCOMPARE(bad.code, 2);
        QVERIFY(bad.err.contains("usage: rubric-studio-cli import"));
    }

    void successfulImport_isQuietOnStderr_unlessVerbose() {
        QTemporaryDir dir;
        const QString project = dir.filePath(QStringLiteral("q.rubrics"));
        QCOMPARE(cli({QStringLiteral("new"), project}).code, 0);
        const QString file =
            test::writeFile(dir, QStringLiteral("ok.json"),
                            R"([{"instruction": "Say hi.", "output": "Hi.", "generator": "m1"},
                {"instruction": "Say hi.", "output": "Hello.", "generator": "m2"}])");
        const Run quiet = cli({QStringLiteral("import"), project, file});
        QCOMPARE(quiet.code, 0);
        QVERIFY2(quiet.err.isEmpty(), quiet.err.constData());
        QVERIFY(quiet.out.contains("imported 2 records"));

        const QString more = test::writeFile(
            dir, QStringLiteral("more.json"),
            R"([{"instruction": "Say bye.", "output": "Bye.", "generator": "m1"}])");
        const Run verbose =
            cli({QStringLiteral("import"), project, more, QStringLiteral("--verbose")});
        QCOMPARE(verbose.code, 0);
        QVERIFY2(verbose.err.contains("studio.import"), verbose.err.constData());
    }

    void importsHistory_recordsRealRecordAndSkippedCounts() {
        QTemporaryDir dir;
        const QString project = dir.filePath(QStringLiteral("h.rubrics"));
        QCOMPARE(cli({QStringLiteral("new"), project}).code, 0);
        const QString file = test::writeFile(dir, QStringLiteral("outputs.json"), kOutputs);
        const Run run = cli({QStringLiteral("import"), project, file, QStringLiteral("--on-error"),
                             QStringLiteral("skip")});
        QCOMPARE(run.code, 0);
        const QJsonObject summary = lastImportSummary(project);
        // Records read, the skipped one included, as the import's own summary line counts them.
        QCOMPARE(summary.value(QStringLiteral("records")).toInteger(), 3);
        QCOMPARE(summary.value(QStringLiteral("skipped")).toInteger(), 1);
        QCOMPARE(summary.value(QStringLiteral("responses_added")).toInteger(), 2);
        // The skipped record's warning names the field's line.
        QVERIFY2(run.err.contains("outputs.json:9:"), run.err.constData());
    }

    void badField_isReportedAtItsOwnLine() {
        QTemporaryDir dir;
        const QString project = dir.filePath(QStringLiteral("e.rubrics"));
        QCOMPARE(cli({QStringLiteral("new"), project}).code, 0);
        const QString file = test::writeFile(dir, QStringLiteral("outputs.json"), kOutputs);
        const Run run = cli({QStringLiteral("import"), project, file});
        QCOMPARE(run.code, 1);
        QVERIFY2(run.err.contains("outputs.json:9: field \"output\" must be a string"),
                 run.err.constData());
        QVERIFY(lastImportSummary(project).isEmpty()); // nothing stored
    }
};

QTEST_GUILESS_MAIN(CliManners)
#include "tst_climanners.moc"
