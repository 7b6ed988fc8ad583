// Bad input gives FILE:LINE: reason, and an aborted import leaves the project as it was.
#include "testsupport.h"

using namespace rs;

class BadInput final : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<store::ProjectStore> m_store;

    import::ImportConfig jsonlConfig(const QString &file) const
    {
        import::ImportConfig c;
        c.files << file;
        c.format = import::Format::Jsonl;
        c.map.prompt = QStringLiteral("prompt");
        c.map.response = QStringLiteral("response");
        c.map.generator = QStringLiteral("generator");
        return c;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_store = test::newProject(m_dir);
        // Something already stored that a failed import must not touch.
        const QString seed = test::writeFile(
            m_dir, QStringLiteral("seed.jsonl"),
            R"({"prompt":"kept","response":"stays","generator":"g"})"
            "\n");
        QVERIFY(import::importFiles(*m_store, jsonlConfig(seed)).ok());
    }

    void abortReportsLineAndChangesNothing_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<int>("format"); // import::Format
        QTest::addColumn<QString>("expected"); // after "FILE"

        const QByteArray ok = R"({"prompt":"p1","response":"r1","generator":"g"})";
        QTest::newRow("malformed line") << (ok + "\n" + ok + "\n" + "{\"prompt\":\"p3\",\"response\":" + "\n" + ok + "\n")
                                        << int(import::Format::Jsonl)
                                        << QStringLiteral(":3: invalid JSON: syntax error");
        QTest::newRow("invalid utf-8") << (ok + "\n" + QByteArray("{\"prompt\":\"p2\",\"response\":\"caf") + "\xC3\x28" + "\",\"generator\":\"g\"}" + "\n")
                                       << int(import::Format::Jsonl)
                                       << QStringLiteral(":2: invalid UTF-8 (byte 0xc3)");
        QTest::newRow("empty file") << QByteArray() << int(import::Format::Jsonl)
                                    << QStringLiteral(": file is empty");
        QTest::newRow("whitespace only") << QByteArray("\n  \n") << int(import::Format::Auto)
                                         << QStringLiteral(": file is empty");
        QTest::newRow("missing field") << (ok + "\n" + R"({"prompt":"p2","generator":"g"})" + "\n")
                                       << int(import::Format::Jsonl)
                                       << QStringLiteral(":2: missing field \"response\"");
        QTest::newRow("wrong type") << (ok + "\n\n" + R"({"prompt":"p2","response":42,"generator":"g"})" + "\n")
                                    << int(import::Format::Jsonl)
                                    << QStringLiteral(":3: field \"response\" must be a string, found a number");
        QTest::newRow("array where jsonl expected") << ("[\n" + ok + ",\n" + ok + "\n]\n")
                                                    << int(import::Format::Jsonl)
                                                    << QStringLiteral(":1: this is a JSON array, but JSONL");
        QTest::newRow("alpacaeval missing output")
            << QByteArray("[\n  {\"instruction\": \"a\", \"output\": \"b\", \"generator\": \"m\"},\n"
                          "  {\"instruction\": \"c\",\n   \"generator\": \"m\"}\n]\n")
            << int(import::Format::AlpacaEval) << QStringLiteral(":3: missing field \"output\"");
        QTest::newRow("unterminated array")
            << QByteArray("[\n  {\"instruction\": \"a\", \"output\": \"b\", \"generator\": \"m\"},\n"
                          "  {\"instruction\": \"c\", \"output\": \"d")
            << int(import::Format::Auto) << QStringLiteral(":3: unterminated string");
        QTest::newRow("not json at all") << QByteArray("prompt,response\nhello,world\n")
                                         << int(import::Format::Auto)
                                         << QStringLiteral(":1: expected a JSON object or array");
        QTest::newRow("unknown layout") << QByteArray(R"({"question":"q","answer":"a"})" "\n")
                                        << int(import::Format::Auto)
                                        << QStringLiteral(":1: cannot tell the format");
        QTest::newRow("rubric weight not a number")
            << QByteArray(R"({"prompt":"p","rubrics":[{"criterion":"c","weight":"high"}]})" "\n")
            << int(import::Format::Auto)
            << QStringLiteral(":1: field \"rubrics[0].weight\" must be a number, found a string");
    }

    void abortReportsLineAndChangesNothing()
    {
        QFETCH(QByteArray, content);
        QFETCH(int, format);
        QFETCH(QString, expected);
        const QString file = test::writeFile(m_dir, QStringLiteral("bad.jsonl"), content);
        import::ImportConfig config = jsonlConfig(file);
        config.format = import::Format(format);
        if (config.format != import::Format::Jsonl)
            config.map = {}; // auto-detection must work from the record alone
        config.onError = import::OnError::Abort;

        const QString before = test::fingerprint(m_store->path());
        auto r = import::importFiles(*m_store, config);
        QVERIFY(!r.ok());
        const QString message = r.error().toString();
        QVERIFY2(message.startsWith(file + expected), qPrintable(message));
        QCOMPARE(test::fingerprint(m_store->path()), before);
    }

    void hugeSingleLineIsRefusedWithoutLoadingIt()
    {
        // 100 MB on one line: over the per-record limit, reported by line, never held whole.
        const QString path = m_dir.filePath(QStringLiteral("huge.jsonl"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("{\"prompt\":\"big\",\"generator\":\"g\",\"response\":\"");
            const QByteArray chunk(1 << 20, 'x');
            for (int i = 0; i < 100; ++i)
                f.write(chunk);
            f.write("\"}\n");
            f.write(R"({"prompt":"small","response":"r","generator":"g"})" "\n");
        }
        const QString before = test::fingerprint(m_store->path());
        auto r = import::importFiles(*m_store, jsonlConfig(path));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().toString(), path + QStringLiteral(":1: record is larger than the 32 MiB limit"));
        QCOMPARE(test::fingerprint(m_store->path()), before);

        // Skipping goes on with the next line.
        auto config = jsonlConfig(path);
        config.onError = import::OnError::Skip;
        auto s = import::importFiles(*m_store, config);
        QVERIFY(s.ok());
        QCOMPARE(s->skipped, 1);
        QCOMPARE(s->responsesAdded, 1);
    }

    void skipReportsEachBadRecordAndImportsTheRest()
    {
        const QByteArray content = R"({"prompt":"s1","response":"a","generator":"g"})" "\n"
                                   "{\"prompt\":\"s2\",\"response\":" "\n"
                                   R"({"prompt":"s3","generator":"g"})" "\n"
                                   R"({"prompt":"s4","response":"d","generator":"g"})" "\n";
        const QString file = test::writeFile(m_dir, QStringLiteral("mixed.jsonl"), content);
        auto config = jsonlConfig(file);
        config.onError = import::OnError::Skip;
        auto r = import::importFiles(*m_store, config);
        QVERIFY(r.ok());
        QCOMPARE(r->skipped, 2);
        QCOMPARE(r->responsesAdded, 2);
        QCOMPARE(r->warnings.size(), 2);
        QCOMPARE(r->warnings[0].line, 2);
        QCOMPARE(r->warnings[1].toString(), file + QStringLiteral(":3: missing field \"response\""));
    }

    void cancelLeavesProjectUnchanged()
    {
        QByteArray content;
        for (int i = 0; i < 5000; ++i)
            content += QStringLiteral(R"({"prompt":"c%1","response":"r","generator":"g"})" "\n")
                           .arg(i)
                           .toUtf8();
        const QString file = test::writeFile(m_dir, QStringLiteral("cancel.jsonl"), content);
        const QString before = test::fingerprint(m_store->path());
        int calls = 0;
        auto r = import::importFiles(*m_store, jsonlConfig(file),
                                     [&](qint64, qint64) { return ++calls < 3000; });
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.contains(QLatin1String("cancelled")));
        QCOMPARE(test::fingerprint(m_store->path()), before);
    }

    void missingFileIsAnError()
    {
        auto r = import::importFiles(*m_store, jsonlConfig(m_dir.filePath(QStringLiteral("nope.jsonl"))));
        QVERIFY(!r.ok());
        QVERIFY(r.error().toString().contains(QLatin1String("nope.jsonl: cannot open")));
    }
};

QTEST_GUILESS_MAIN(BadInput)
#include "tst_badinput.moc"
