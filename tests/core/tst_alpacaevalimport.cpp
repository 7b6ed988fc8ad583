// AlpacaEval model files join into one prompt per instruction text: on the fixture written for the
// tests (six models, eight prompts) always, and on the ten real model files (805 prompts) when the
// shared data is there. Both have a model that skipped a prompt, a file in its own order, and
// empty outputs.
#include "datasupport.h"

#include <map>

using namespace rs;

class AlpacaEvalImport final : public QObject {
    Q_OBJECT

private:
    struct Imported {
        QTemporaryDir dir;
        std::unique_ptr<store::ProjectStore> store;
        import::ImportResult result;
    };
    std::map<test::Corpus, std::unique_ptr<Imported>> m_imported;

    Imported *imported(test::Corpus c) {
        auto it = m_imported.find(c);
        return it == m_imported.end() ? nullptr : it->second.get();
    }

    static qint64 scalar(const Imported &in, const char *sql, const QString &bind = {}) {
        auto db = store::Database::open(in.store->path(), store::Database::Mode::ReadOnly);
        auto st = db->prepare(sql);
        if (!bind.isNull())
            st->bind(1, bind);
        auto row = st->step();
        return row && row.value() ? st->columnInt(0) : -1;
    }

private Q_SLOTS:
    void everyModelFileImports_data() { test::addCorpusRows(); }
    void everyModelFileImports() {
        RS_FETCH_CORPUS(test::alpacaDir);
        const QStringList files = test::alpacaModelFiles(corpus);
        QCOMPARE(files.size(), test::alpacaFacts(corpus).models);
        auto in = std::make_unique<Imported>();
        in->store = test::newProject(in->dir);
        import::ImportConfig config;
        config.files = files;
        config.tier = QStringLiteral("reference");
        auto r = import::importFiles(*in->store, config);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        in->result = r.value();
        m_imported[corpus] = std::move(in);
    }

    void countsMatchTheData_data() { test::addCorpusRows(); }
    void countsMatchTheData() {
        RS_FETCH_CORPUS(test::alpacaDir);
        const Imported *in = imported(corpus);
        QVERIFY(in);
        const test::AlpacaFacts &facts = test::alpacaFacts(corpus);
        const ProjectStats s = test::stats(*in->store);
        QCOMPARE(s.prompts, facts.prompts);
        QCOMPARE(s.responses, facts.responses);
        QCOMPARE(s.generators, facts.models);
        QCOMPARE(in->result.responsesAdded, facts.responses);
        QCOMPARE(in->result.duplicates, 0);
        for (auto it = in->result.formats.cbegin(); it != in->result.formats.cend(); ++it)
            QCOMPARE(it.value(), import::Format::AlpacaEval);
    }

    void modelWithAMissingAnswerHasOneResponseFewer_data() { test::addCorpusRows(); }
    void modelWithAMissingAnswerHasOneResponseFewer() {
        RS_FETCH_CORPUS(test::alpacaDir);
        const Imported *in = imported(corpus);
        QVERIFY(in);
        const test::AlpacaFacts &facts = test::alpacaFacts(corpus);
        QCOMPARE(
            scalar(*in, "SELECT count(*) FROM responses WHERE generator = ?1", facts.missing.model),
            facts.missing.answers);
        QCOMPARE(
            scalar(*in, "SELECT count(*) FROM responses WHERE generator = ?1", facts.completeModel),
            facts.prompts);
        // The prompt it lacks still has every other model's response.
        QCOMPARE(scalar(*in,
                        "SELECT count(*) FROM responses r JOIN prompts p ON p.id = r.prompt_id"
                        " WHERE p.text LIKE ?1",
                        facts.missing.promptLike),
                 facts.missing.othersAnswered);
    }

    void reorderedFileJoinsOnTextNotPosition_data() { test::addCorpusRows(); }
    void reorderedFileJoinsOnTextNotPosition() {
        RS_FETCH_CORPUS(test::alpacaDir);
        const Imported *in = imported(corpus);
        QVERIFY(in);
        const test::AlpacaFacts &facts = test::alpacaFacts(corpus);
        // One model lists the prompts in another order; its answer must sit with its prompt,
        // next to every other model's answer to it. (In the fixture that prompt is also written
        // with \u escapes in some files and as raw UTF-8 in another: still one prompt.)
        QCOMPARE(scalar(*in,
                        "SELECT count(*) FROM responses r JOIN prompts p ON p.id = r.prompt_id"
                        " WHERE p.text = ?1",
                        facts.reordered.prompt),
                 facts.models);
        auto db = store::Database::open(in->store->path(), store::Database::Mode::ReadOnly);
        auto st = db->prepare("SELECT r.text FROM responses r JOIN prompts p ON p.id = r.prompt_id"
                              " WHERE p.text = ?1 AND r.generator = ?2");
        st->bind(1, facts.reordered.prompt);
        st->bind(2, facts.reordered.model);
        QVERIFY(st->step().value());
        QVERIFY(st->columnText(0).startsWith(facts.reordered.answerStart));
        st->reset();
        // Every prompt has exactly one response from that model.
        QCOMPARE(scalar(*in, "SELECT count(DISTINCT prompt_id) FROM responses WHERE generator = ?1",
                        facts.reordered.model),
                 facts.prompts);
    }

    void emptyResponsesAreKeptAndFlagged_data() { test::addCorpusRows(); }
    void emptyResponsesAreKeptAndFlagged() {
        RS_FETCH_CORPUS(test::alpacaDir);
        const Imported *in = imported(corpus);
        QVERIFY(in);
        const test::AlpacaFacts &facts = test::alpacaFacts(corpus);
        QCOMPARE(in->result.emptyResponses, facts.empty.size());
        QCOMPARE(scalar(*in, "SELECT count(*) FROM responses WHERE is_empty"), facts.empty.size());
        for (const test::EmptyAnswer &e : facts.empty) {
            auto db = store::Database::open(in->store->path(), store::Database::Mode::ReadOnly);
            auto st =
                db->prepare("SELECT count(*) FROM responses r JOIN prompts p ON p.id = r.prompt_id"
                            " WHERE r.is_empty AND r.generator = ?1 AND lower(p.text) LIKE ?2");
            st->bind(1, e.model);
            st->bind(2, e.promptLike);
            QVERIFY(st->step().value());
            QCOMPARE(st->columnInt(0), 1);
            bool warned = false;
            for (const auto &w : in->result.warnings)
                warned |= w.message.contains(QStringLiteral("empty response from ") + e.model) &&
                          w.file.endsWith(e.model + QStringLiteral(".json")) && w.line > 1;
            QVERIFY2(warned, qPrintable(e.model));
        }
    }

    void metadataIsStored_data() { test::addCorpusRows(); }
    void metadataIsStored() {
        RS_FETCH_CORPUS(test::alpacaDir);
        const Imported *in = imported(corpus);
        QVERIFY(in);
        const test::AlpacaFacts &facts = test::alpacaFacts(corpus);
        QCOMPARE(scalar(*in, "SELECT count(*) FROM prompts WHERE dataset = 'selfinstruct'"),
                 facts.selfinstructPrompts);
        QCOMPARE(scalar(*in, "SELECT count(*) FROM responses WHERE tier = 'reference'"),
                 facts.responses);
        // Length is in characters (code points), not bytes nor UTF-16 units: the fixture has
        // accents and emoji outside the BMP.
        QCOMPARE(scalar(*in, "SELECT count(*) FROM responses WHERE length != length(text)"), 0);
    }

    void reimportAddsNothing_data() { test::addCorpusRows(); }
    void reimportAddsNothing() {
        RS_FETCH_CORPUS(test::alpacaDir);
        const Imported *in = imported(corpus);
        QVERIFY(in);
        const test::AlpacaFacts &facts = test::alpacaFacts(corpus);
        const QString before = test::fingerprint(in->store->path());
        import::ImportConfig config;
        config.files << test::alpacaDir(corpus) + QLatin1Char('/') + facts.completeModel +
                            QStringLiteral(".json");
        auto r = import::importFiles(*in->store, config);
        QVERIFY(r.ok());
        QCOMPARE(r->duplicates, facts.prompts);
        QCOMPARE(r->responsesAdded, 0);
        QCOMPARE(test::stats(*in->store).responses, facts.responses);
        QVERIFY(before != test::fingerprint(in->store->path())); // only the import log grew
    }
};

QTEST_GUILESS_MAIN(AlpacaEvalImport)
#include "tst_alpacaevalimport.moc"
