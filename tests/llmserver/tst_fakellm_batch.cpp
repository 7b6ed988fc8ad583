// The offline batch modes: OpenAI Batch and Anthropic Message Batches files are converted into
// the result files the providers would return, with the server's deterministic answers.
#include "chatbodies.h"
#include "serverprocess.h"

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace rs::test;

namespace {

bool writeFile(const QString &path, const QByteArray &bytes) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QList<QJsonObject> readJsonl(const QString &path) {
    QList<QJsonObject> out;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return out;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (!line.trimmed().isEmpty())
            out.append(QJsonDocument::fromJson(line).object());
    return out;
}

QByteArray line(const QJsonObject &o) {
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
}

const QString kJudgeUser =
    QStringLiteral("<<<RESPONSE\nfour words right here\nRESPONSE>>>\n"
                   "<<<CRITERIA\nc1: The response mentions \"words\".\n"
                   "c2: The response is at least 5 words long.\nCRITERIA>>>");

} // namespace

class TestBatch final : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void openAiBatch_answersEachLineInTheBatchOutputShape() {
        const QString in = m_dir.filePath(QStringLiteral("openai-in.jsonl"));
        const QString out = m_dir.filePath(QStringLiteral("openai-out.jsonl"));
        const auto request = [](const QString &id, const QByteArray &body) {
            return line({{QStringLiteral("custom_id"), id},
                         {QStringLiteral("method"), QStringLiteral("POST")},
                         {QStringLiteral("url"), QStringLiteral("/v1/chat/completions")},
                         {QStringLiteral("body"), QJsonDocument::fromJson(body).object()}});
        };
        QVERIFY(writeFile(
            in,
            request(QStringLiteral("judge-1"),
                    openAiBody(QStringLiteral("m"), QStringLiteral("[role:judge]"), kJudgeUser)) +
                "\n" // blank lines are skipped
                + request(QStringLiteral("chat-2"),
                          openAiBody(QStringLiteral("m"), {}, QStringLiteral("hi"))) +
                request(QStringLiteral("bad-3"), "{\"model\":\"m\"}")));
        QByteArray err;
        QCOMPARE(ServerProcess::run(
                     {QStringLiteral("--batch-openai"), in, QStringLiteral("--out"), out}, &err),
                 0);
        QVERIFY2(err.isEmpty(), err.constData());

        const QList<QJsonObject> results = readJsonl(out);
        QCOMPARE(results.size(), 3);
        const QJsonObject first = results.at(0);
        QCOMPARE(first.value(QStringLiteral("custom_id")).toString(), QStringLiteral("judge-1"));
        QVERIFY(
            first.value(QStringLiteral("id")).toString().startsWith(QStringLiteral("batch_req_")));
        QVERIFY(first.value(QStringLiteral("error")).isNull());
        const QJsonObject response = first.value(QStringLiteral("response")).toObject();
        QCOMPARE(response.value(QStringLiteral("status_code")).toInt(), 200);
        QVERIFY(!response.value(QStringLiteral("request_id")).toString().isEmpty());
        const QJsonObject body = response.value(QStringLiteral("body")).toObject();
        QCOMPARE(body.value(QStringLiteral("object")).toString(),
                 QStringLiteral("chat.completion"));
        // 4 words: c1 has its quoted term, c2 needs 5 words.
        QCOMPARE(parseAnswer(openAiContent(body)).object(),
                 (QJsonObject{{QStringLiteral("c1"), QStringLiteral("yes")},
                              {QStringLiteral("c2"), QStringLiteral("no")}}));

        QCOMPARE(openAiContent(results.at(1)
                                   .value(QStringLiteral("response"))
                                   .toObject()
                                   .value(QStringLiteral("body"))
                                   .toObject()),
                 QStringLiteral("Echo: hi"));
        const QJsonObject bad = results.at(2).value(QStringLiteral("response")).toObject();
        QCOMPARE(bad.value(QStringLiteral("status_code")).toInt(), 400);
        QVERIFY(bad.value(QStringLiteral("body")).toObject().contains(QStringLiteral("error")));
    }

    void anthropicBatch_answersEachLineAsSucceededOrErrored() {
        const QString in = m_dir.filePath(QStringLiteral("anthropic-in.jsonl"));
        const QString out = m_dir.filePath(QStringLiteral("anthropic-out.jsonl"));
        const auto request = [](const QString &id, const QByteArray &params) {
            return line({{QStringLiteral("custom_id"), id},
                         {QStringLiteral("params"), QJsonDocument::fromJson(params).object()}});
        };
        QVERIFY(writeFile(
            in, request(QStringLiteral("a"),
                        anthropicBody(QStringLiteral("m"), QStringLiteral("[role:judge]"),
                                      kJudgeUser)) +
                    request(QStringLiteral("b"),
                            anthropicBody(QStringLiteral("m"), QStringLiteral("[role:pairwise]"),
                                          QStringLiteral("<<<A\nx\nA>>>\n<<<B\ny z\nB>>>"))) +
                    request(QStringLiteral("c"), "{\"model\":\"m\",\"messages\":[]}")));
        QCOMPARE(ServerProcess::run(
                     {QStringLiteral("--batch-anthropic"), in, QStringLiteral("--out"), out}),
                 0);

        const QList<QJsonObject> results = readJsonl(out);
        QCOMPARE(results.size(), 3);
        QCOMPARE(results.at(0).value(QStringLiteral("custom_id")).toString(), QStringLiteral("a"));
        const QJsonObject result = results.at(0).value(QStringLiteral("result")).toObject();
        QCOMPARE(result.value(QStringLiteral("type")).toString(), QStringLiteral("succeeded"));
        const QJsonObject message = result.value(QStringLiteral("message")).toObject();
        QCOMPARE(message.value(QStringLiteral("type")).toString(), QStringLiteral("message"));
        QCOMPARE(
            parseAnswer(anthropicText(message)).object().value(QStringLiteral("c2")).toString(),
            QStringLiteral("no"));
        QCOMPARE(parseAnswer(anthropicText(results.at(1)
                                               .value(QStringLiteral("result"))
                                               .toObject()
                                               .value(QStringLiteral("message"))
                                               .toObject()))
                     .object()
                     .value(QStringLiteral("better"))
                     .toString(),
                 QStringLiteral("B"));
        const QJsonObject errored = results.at(2).value(QStringLiteral("result")).toObject();
        QCOMPARE(errored.value(QStringLiteral("type")).toString(), QStringLiteral("errored"));
        QCOMPARE(errored.value(QStringLiteral("error"))
                     .toObject()
                     .value(QStringLiteral("error"))
                     .toObject()
                     .value(QStringLiteral("type"))
                     .toString(),
                 QStringLiteral("invalid_request_error"));
    }

    void batch_isDeterministic() {
        const QString in = m_dir.filePath(QStringLiteral("det-in.jsonl"));
        QVERIFY(writeFile(
            in, line({{QStringLiteral("custom_id"), QStringLiteral("x")},
                      {QStringLiteral("params"),
                       QJsonDocument::fromJson(anthropicBody(QStringLiteral("m"),
                                                             QStringLiteral("[role:proposer]"),
                                                             QStringLiteral("Explain tides")))
                           .object()}})));
        const QString a = m_dir.filePath(QStringLiteral("det-a.jsonl"));
        const QString b = m_dir.filePath(QStringLiteral("det-b.jsonl"));
        QCOMPARE(ServerProcess::run(
                     {QStringLiteral("--batch-anthropic"), in, QStringLiteral("--out"), a}),
                 0);
        QCOMPARE(ServerProcess::run(
                     {QStringLiteral("--batch-anthropic"), in, QStringLiteral("--out"), b}),
                 0);
        QFile fa(a), fb(b);
        QVERIFY(fa.open(QIODevice::ReadOnly) && fb.open(QIODevice::ReadOnly));
        QCOMPARE(fa.readAll(), fb.readAll());
    }

    void badInput_failsTheWholeFileWithTheLineNumber() {
        const QString in = m_dir.filePath(QStringLiteral("bad-in.jsonl"));
        const QString out = m_dir.filePath(QStringLiteral("bad-out.jsonl"));
        QVERIFY(writeFile(in, "{\"custom_id\":\"ok\",\"params\":{}}\nnot json\n"));
        QByteArray err;
        QCOMPARE(ServerProcess::run(
                     {QStringLiteral("--batch-anthropic"), in, QStringLiteral("--out"), out}, &err),
                 1);
        QVERIFY2(err.contains("line 2"), err.constData());
        QVERIFY(!QFile::exists(out)); // nothing half-written

        QVERIFY(writeFile(in, "{\"params\":{}}\n"));
        QCOMPARE(ServerProcess::run(
                     {QStringLiteral("--batch-anthropic"), in, QStringLiteral("--out"), out}, &err),
                 1);
        QVERIFY(err.contains("custom_id"));

        QCOMPARE(ServerProcess::run({QStringLiteral("--batch-openai"), in}, &err), 2); // no --out
        QCOMPARE(ServerProcess::run({QStringLiteral("--batch-openai"),
                                     m_dir.filePath(QStringLiteral("missing")),
                                     QStringLiteral("--out"), out},
                                    &err),
                 1);
    }
};

QTEST_GUILESS_MAIN(TestBatch)
#include "tst_fakellm_batch.moc"
