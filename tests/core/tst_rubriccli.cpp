// The rubric CLI: versions, diff and lint print what the core computes, as JSON; tag and
// restore write; bad usage exits 2.
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

using namespace rs;

namespace {

struct Run {
    int code = -1;
    QByteArray out;
};

Run cli(const QStringList &args) {
    QProcess p;
    p.start(QStringLiteral(RS_CLI), args);
    if (!p.waitForFinished(60000))
        return {};
    return {p.exitCode(), p.readAllStandardOutput()};
}

} // namespace

class RubricCli final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void versionsDiffLintTagRestore() {
        QTemporaryDir dir;
        const QString project = dir.filePath(QStringLiteral("v.rubrics"));
        QCOMPARE(cli({QStringLiteral("new"), project}).code, 0);
        const QString r1 = test::writeFile(
            dir, QStringLiteral("r1.jsonl"),
            QByteArrayLiteral(
                "{\"prompt\": \"Why is the sky blue?\", \"rubrics\": [{\"criterion\": \"Names "
                "Rayleigh scattering as the cause.\", \"weight\": 3},"
                " {\"criterion\": \"Explains why sunsets look red and mentions the angle of the "
                "sun.\", \"weight\": 2}]}\n"));
        const QString r2 = test::writeFile(
            dir, QStringLiteral("r2.jsonl"),
            QByteArrayLiteral(
                "{\"prompt\": \"Why is the sky blue?\", \"rubrics\": [{\"criterion\": \"Names "
                "Rayleigh scattering as the cause.\", \"weight\": 4},"
                " {\"criterion\": \"Explains why sunsets look red.\", \"weight\": 2}, "
                "{\"criterion\": \"Mentions the angle of the sun at sunset.\", \"weight\": "
                "1}]}\n"));
        QCOMPARE(cli({QStringLiteral("import"), project, r1}).code, 0);
        QCOMPARE(cli({QStringLiteral("import"), project, r2}).code, 0);

        Run v = cli({QStringLiteral("rubric"), QStringLiteral("versions"), project,
                     QStringLiteral("--prompt"), QStringLiteral("1"), QStringLiteral("--json")});
        QCOMPARE(v.code, 0);
        const QJsonArray versions =
            QJsonDocument::fromJson(v.out).object().value(QStringLiteral("versions")).toArray();
        QCOMPARE(versions.size(), 2);
        QCOMPARE(versions.at(1).toObject().value(QStringLiteral("parent")).toInteger(),
                 versions.at(0).toObject().value(QStringLiteral("id")).toInteger());

        Run d = cli({QStringLiteral("rubric"), QStringLiteral("diff"), project,
                     QStringLiteral("--prompt"), QStringLiteral("1"), QStringLiteral("--json")});
        QCOMPARE(d.code, 0);
        const QJsonObject counts =
            QJsonDocument::fromJson(d.out).object().value(QStringLiteral("counts")).toObject();
        QCOMPARE(counts.value(QStringLiteral("split")).toInt(), 1);
        QCOMPARE(counts.value(QStringLiteral("re-weighted")).toInt(), 1);

        // The first version's compound criterion is linted; the current (split) one is clean.
        Run l = cli(
            {QStringLiteral("rubric"), QStringLiteral("lint"), project, QStringLiteral("--json")});
        QCOMPARE(l.code, 0);
        QCOMPARE(QJsonDocument::fromJson(l.out).object().value(QStringLiteral("issues")).toInt(),
                 0);

        QCOMPARE(cli({QStringLiteral("rubric"), QStringLiteral("tag"), project,
                      QStringLiteral("--version"), QStringLiteral("1"), QStringLiteral("baseline")})
                     .code,
                 0);
        QCOMPARE(cli({QStringLiteral("rubric"), QStringLiteral("restore"), project,
                      QStringLiteral("--version"), QStringLiteral("1")})
                     .code,
                 0);
        v = cli({QStringLiteral("rubric"), QStringLiteral("versions"), project,
                 QStringLiteral("--prompt"), QStringLiteral("1"), QStringLiteral("--json")});
        const QJsonArray after =
            QJsonDocument::fromJson(v.out).object().value(QStringLiteral("versions")).toArray();
        QCOMPARE(after.size(), 3);
        QCOMPARE(after.at(0).toObject().value(QStringLiteral("tag")).toString(),
                 QStringLiteral("baseline"));
        QCOMPARE(after.at(2).toObject().value(QStringLiteral("origin")).toString(),
                 QStringLiteral("restore"));
        l = cli(
            {QStringLiteral("rubric"), QStringLiteral("lint"), project, QStringLiteral("--json")});
        QCOMPARE(QJsonDocument::fromJson(l.out)
                     .object()
                     .value(QStringLiteral("by_rule"))
                     .toObject()
                     .value(QStringLiteral("compound"))
                     .toInt(),
                 1);

        QCOMPARE(cli({QStringLiteral("rubric"), QStringLiteral("bogus"), project}).code, 2);
        QCOMPARE(cli({QStringLiteral("rubric"), QStringLiteral("versions"), project}).code, 2);
        QCOMPARE(cli({QStringLiteral("rubric"), QStringLiteral("restore"), project,
                      QStringLiteral("--version"), QStringLiteral("99")})
                     .code,
                 1);
    }
};

QTEST_GUILESS_MAIN(RubricCli)
#include "tst_rubriccli.moc"
