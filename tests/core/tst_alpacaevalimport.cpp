// The ten AlpacaEval model files join into 805 prompts on the instruction text.
#include "testsupport.h"

#include <QDir>

using namespace rs;

class AlpacaEvalImport final : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<store::ProjectStore> m_store;
    import::ImportResult m_result;

    qint64 scalar(const char *sql, const QString &bind = {})
    {
        auto db = store::Database::open(m_store->path(), store::Database::Mode::ReadOnly);
        auto st = db->prepare(sql);
        if (!bind.isNull())
            st->bind(1, bind);
        auto row = st->step();
        return row && row.value() ? st->columnInt(0) : -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QDir data(test::sharedData(QStringLiteral("alpacaeval")));
        if (!data.exists())
            QSKIP("shared AlpacaEval data not found");
        QStringList files;
        for (const QString &f : data.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name))
            if (!f.contains(QLatin1String("annotations")))
                files << data.filePath(f);
        QCOMPARE(files.size(), 10);
        m_store = test::newProject(m_dir);
        import::ImportConfig config;
        config.files = files;
        config.tier = QStringLiteral("reference");
        auto r = import::importFiles(*m_store, config);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        m_result = r.value();
    }

    void countsMatchTheData()
    {
        const ProjectStats s = test::stats(*m_store);
        QCOMPARE(s.prompts, 805);
        QCOMPARE(s.responses, 8049);
        QCOMPARE(s.generators, 10);
        QCOMPARE(m_result.responsesAdded, 8049);
        QCOMPARE(m_result.duplicates, 0);
        for (auto it = m_result.formats.cbegin(); it != m_result.formats.cend(); ++it)
            QCOMPARE(it.value(), import::Format::AlpacaEval);
    }

    void llama2HasOneResponseFewer()
    {
        QCOMPARE(scalar("SELECT count(*) FROM responses WHERE generator = ?1",
                        QStringLiteral("llama-2-70b-chat-hf")),
                 804);
        QCOMPARE(scalar("SELECT count(*) FROM responses WHERE generator = ?1",
                        QStringLiteral("gpt-4o-2024-05-13")),
                 805);
        // The prompt llama-2 lacks still has the other nine responses.
        QCOMPARE(scalar("SELECT count(*) FROM responses r JOIN prompts p ON p.id = r.prompt_id"
                        " WHERE p.text LIKE 'A user story is an informal, general explanation%'"),
                 9);
    }

    void geminiJoinsOnTextNotPosition()
    {
        // gemini-pro lists the prompts in another order; its Broadway answer must sit with the
        // Broadway prompt, next to every other model's answer to it.
        const QString prompt = QStringLiteral(
            "What are the names of some famous actors that started their careers on Broadway?");
        QCOMPARE(scalar("SELECT count(*) FROM responses r JOIN prompts p ON p.id = r.prompt_id"
                        " WHERE p.text = ?1",
                        prompt),
                 10);
        auto db = store::Database::open(m_store->path(), store::Database::Mode::ReadOnly);
        auto st = db->prepare("SELECT r.text FROM responses r JOIN prompts p ON p.id = r.prompt_id"
                              " WHERE p.text = ?1 AND r.generator = 'gemini-pro'");
        st->bind(1, prompt);
        QVERIFY(st->step().value());
        QVERIFY(st->columnText(0).startsWith(QLatin1String("- Barbra Streisand")));
        // Every prompt has exactly one gemini-pro response.
        QCOMPARE(scalar("SELECT count(DISTINCT prompt_id) FROM responses WHERE generator = "
                        "'gemini-pro'"),
                 805);
    }

    void emptyGeminiResponseIsKeptAndFlagged()
    {
        QCOMPARE(m_result.emptyResponses, 1);
        QCOMPARE(scalar("SELECT count(*) FROM responses WHERE is_empty AND generator = "
                        "'gemini-pro'"),
                 1);
        QVERIFY(scalar("SELECT count(*) FROM responses r JOIN prompts p ON p.id = r.prompt_id"
                       " WHERE r.is_empty AND lower(p.text) LIKE '%chocolate chip cookie%'")
                == 1);
        bool warned = false;
        for (const auto &w : m_result.warnings)
            warned |= w.message.contains(QLatin1String("empty response from gemini-pro"))
                      && w.file.endsWith(QLatin1String("gemini-pro.json")) && w.line > 1;
        QVERIFY(warned);
    }

    void metadataIsStored()
    {
        QCOMPARE(scalar("SELECT count(*) FROM prompts WHERE dataset = 'selfinstruct'"), 252);
        QCOMPARE(scalar("SELECT count(*) FROM responses WHERE tier = 'reference'"), 8049);
        // Length is in characters (code points), not bytes.
        QCOMPARE(scalar("SELECT count(*) FROM responses WHERE length != length(text)"), 0);
    }

    void reimportAddsNothing()
    {
        const QString before = test::fingerprint(m_store->path());
        import::ImportConfig config;
        config.files << test::sharedData(QStringLiteral("alpacaeval/alpaca-7b.json"));
        auto r = import::importFiles(*m_store, config);
        QVERIFY(r.ok());
        QCOMPARE(r->duplicates, 805);
        QCOMPARE(r->responsesAdded, 0);
        QCOMPARE(test::stats(*m_store).responses, 8049);
        QVERIFY(before != test::fingerprint(m_store->path())); // only the import log grew
    }
};

QTEST_GUILESS_MAIN(AlpacaEvalImport)
#include "tst_alpacaevalimport.moc"
