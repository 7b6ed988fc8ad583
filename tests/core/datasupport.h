#pragma once

// The AlpacaEval- and HealthBench-shaped data the end-to-end suites run on, from two corpora:
// the small fixtures written for the tests (tests/fixtures, always there, so a fresh clone runs
// every case) and the shared real data (RS_SHARED_DATA, run in addition when present). A suite
// adds a row per corpus with addCorpusRows() and opens each case with RS_FETCH_CORPUS, which
// skips only the shared row when that data is absent.
//
// The facts below were counted over the JSON with a script, independently of the importer; the
// fixtures' are listed again, with their quirks, in tests/fixtures/README.md.
#include "testsupport.h"

#include <QDir>
#include <QTest>

namespace rs::test {

enum class Corpus { Fixture, Shared };

inline QString corpusName(Corpus c) {
    return c == Corpus::Fixture ? QStringLiteral("fixture") : QStringLiteral("shared");
}

inline QString fixture(const QString &rel) {
    return QStringLiteral(RS_TEST_FIXTURES) + QLatin1Char('/') + rel;
}

inline QString alpacaDir(Corpus c) {
    return c == Corpus::Fixture ? fixture(QStringLiteral("alpaca-mini"))
                                : sharedData(QStringLiteral("alpacaeval"));
}

inline QString healthBenchDir(Corpus c) {
    return c == Corpus::Fixture ? fixture(QStringLiteral("healthbench-mini"))
                                : sharedData(QStringLiteral("healthbench"));
}

/// The model-output files of an AlpacaEval folder in name order (the annotation files left out).
inline QStringList alpacaModelFiles(Corpus c) {
    const QDir dir(alpacaDir(c));
    QStringList out;
    for (const QString &f : dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name))
        if (!f.contains(QLatin1String("annotations")))
            out << dir.filePath(f);
    return out;
}

/// The one-record HealthBench example files of a folder, in name order.
inline QStringList healthBenchExampleFiles(Corpus c) {
    const QDir dir(healthBenchDir(c));
    QStringList out;
    for (const QString &f :
         dir.entryList({QStringLiteral("example_*.json")}, QDir::Files, QDir::Name))
        out << dir.filePath(f);
    return out;
}

/// A model that left a prompt unanswered, with the prompt and how many models did answer it.
struct MissingAnswer {
    QString model;
    int answers = 0;    ///< the model's answers (one fewer than the prompts)
    QString promptLike; ///< an SQL LIKE pattern for the prompt it skipped
    int othersAnswered = 0;
};

/// A model whose file lists the prompts in its own order, and one of its answers.
struct ReorderedAnswer {
    QString model;
    QString prompt;
    QString answerStart;
};

/// An empty (or whitespace-only) output: kept, flagged and warned about.
struct EmptyAnswer {
    QString model;
    QString promptLike;
};

/// A judge's pairwise annotations of one model's answers against the reference model's.
struct AnnotationFacts {
    QString referenceModel;
    QString file;  ///< in the corpus folder
    int pairs = 0; ///< one per reference answer; each becomes a gold preference
    /// Spearman's rho of P(output_2 better) against the length difference (code points), and
    /// its p-value: both measured with a script over the JSON.
    double rhoMin = 0;
    double rhoMax = 0;
    double pMin = 0;
    double pMax = 0;
    double referenceGoldAbove = 0; ///< the reference answers' mean gold score exceeds this
};

struct AlpacaFacts {
    int models = 0;
    int prompts = 0;
    int responses = 0;
    int selfinstructPrompts = 0;
    QString completeModel; ///< answered every prompt
    MissingAnswer missing;
    ReorderedAnswer reordered;
    QList<EmptyAnswer> empty;
    /// Answers to each of the first five prompts of the first file (the authoring suites' pool).
    int answersPerFirstPrompt = 0;
    /// Three prompts every model answered with a non-empty text (the judge suite's).
    QStringList judgedPrompts;
    AnnotationFacts annotations;
};

inline const AlpacaFacts &alpacaFacts(Corpus c) {
    static const AlpacaFacts fixture{
        .models = 6,
        .prompts = 8,
        .responses = 47,
        .selfinstructPrompts = 2,
        .completeModel = QStringLiteral("aurora-13b-chat"),
        .missing = {.model = QStringLiteral("dune-mini-2"),
                    .answers = 7,
                    .promptLike = QStringLiteral("Which fruit in this table%"),
                    .othersAnswered = 5},
        .reordered = {.model = QStringLiteral("estuary-pro"),
                      .prompt =
                          QStringLiteral("Traduis en anglais : \u00ab Il pleut des cordes depuis "
                                         "ce matin, alors je reste \u00e0 la maison. \u00bb"),
                      .answerStart = QStringLiteral("It's been raining buckets")},
        .empty = {{QStringLiteral("estuary-pro"), QStringLiteral("%cheerful haiku%")},
                  {QStringLiteral("basalt-7b"),
                   QStringLiteral("%three tips for staying focused%")}},
        .answersPerFirstPrompt = 6,
        .judgedPrompts = {QStringLiteral("What are some good ways to keep basil growing on a "
                                         "windowsill through the winter?"),
                          QStringLiteral("Explain the difference between a list and a tuple in "
                                         "Python, with a short example."),
                          QStringLiteral(
                              "Here is my function. Why does it print None?\n\n```python\n"
                              "def add(a, b):\n    total = a + b\n\nprint(add(2, 3))\n```")},
        .annotations = {.referenceModel = QStringLiteral("aurora-13b-chat"),
                        .file = QStringLiteral("dune-mini-2.annotations.json"),
                        .pairs = 8,
                        .rhoMin = 0.682, // 0.6826
                        .rhoMax = 0.684,
                        .pMin = 0.06, // 0.062: eight pairs are not enough to be sure
                        .pMax = 0.065,
                        .referenceGoldAbove = 0.84}}; // 0.8425
    static const AlpacaFacts shared{
        .models = 10,
        .prompts = 805,
        .responses = 8049,
        .selfinstructPrompts = 252,
        .completeModel = QStringLiteral("gpt-4o-2024-05-13"),
        .missing = {.model = QStringLiteral("llama-2-70b-chat-hf"),
                    .answers = 804,
                    .promptLike =
                        QStringLiteral("A user story is an informal, general explanation%"),
                    .othersAnswered = 9},
        .reordered = {.model = QStringLiteral("gemini-pro"),
                      .prompt =
                          QStringLiteral("What are the names of some famous actors that started "
                                         "their careers on Broadway?"),
                      .answerStart = QStringLiteral("- Barbra Streisand")},
        .empty = {{QStringLiteral("gemini-pro"), QStringLiteral("%chocolate chip cookie%")}},
        .answersPerFirstPrompt = 10,
        .judgedPrompts = {QStringLiteral("What are the names of some famous actors that started "
                                         "their careers on Broadway?"),
                          QStringLiteral("How did US states get their names?"),
                          QStringLiteral(
                              "Hi, my sister and her girlfriends want me to play kickball "
                              "with them. Can you explain how the game is played, so "
                              "they don't take advantage of me?")},
        // The GPT-4-turbo judge prefers the longer answer (rho = 0.311 by characters), far from
        // chance; gpt-3.5 wins about 9% of the pairs.
        .annotations = {.referenceModel = QStringLiteral("gpt4_1106_preview"),
                        .file = QStringLiteral("gpt-3.5-turbo-1106.annotations.json"),
                        .pairs = 805,
                        .rhoMin = 0.30,
                        .rhoMax = 0.32,
                        .pMin = 0,
                        .pMax = 1e-10,
                        .referenceGoldAbove = 0.85}};
    return c == Corpus::Fixture ? fixture : shared;
}

struct HealthBenchFacts {
    int records = 0; ///< example files, one record each
    int criteria = 0;
    int negative = 0;
    int minPoints = 0;
    int maxPoints = 0;
    int multiTurn = 0;
    int idealCompletions = 0;
    int referenceCompletions = 0;
    /// A record whose first criterion is a cluster criterion, its points and tags.
    QString clusterRecordId;
    int clusterPoints = 0;
    QStringList clusterTags;
    QString reimportFile; ///< one example file, imported again
    QString consensusFile;
    int consensusRecords = 0;
    int consensusCriteria = 0;
};

inline const HealthBenchFacts &healthBenchFacts(Corpus c) {
    static const HealthBenchFacts fixture{
        .records = 4,
        .criteria = 20,
        .negative = 6,
        .minPoints = -10,
        .maxPoints = 8,
        .multiTurn = 2,
        .idealCompletions = 2,
        .referenceCompletions = 4,
        .clusterRecordId = QStringLiteral("5c7e9a02-1b3d-4e8f-a6c4-8d2b7f9e0c22"),
        .clusterPoints = 5,
        .clusterTags = {QStringLiteral("level:cluster"),
                        QStringLiteral("cluster:hydration_helpful_and_safe"),
                        QStringLiteral("axis:accuracy")},
        .reimportFile = QStringLiteral("example_02.json"),
        .consensusFile = QStringLiteral("consensus-mini.jsonl"),
        .consensusRecords = 3,
        .consensusCriteria = 6};
    static const HealthBenchFacts shared{
        .records = 20,
        .criteria = 252,
        .negative = 74,
        .minPoints = -10,
        .maxPoints = 10,
        .multiTurn = 6,
        .idealCompletions = 15,
        .referenceCompletions = 40,
        .clusterRecordId = QStringLiteral("6f7a2ee9-e9c6-42d8-b79f-22dea966b8d2"),
        .clusterPoints = 5,
        .clusterTags = {QStringLiteral("level:cluster"),
                        QStringLiteral(
                            "cluster:emergency_referrals_non-emergent_emergency_behavior"),
                        QStringLiteral("axis:accuracy")},
        .reimportFile = QStringLiteral("example_03.json"),
        .consensusFile = QStringLiteral("consensus_context_seeking.jsonl"),
        .consensusRecords = 70,
        .consensusCriteria = 140};
    return c == Corpus::Fixture ? fixture : shared;
}

/// The rows "fixture" and "shared" of a data-driven case, in a column "corpus".
inline void addCorpusRows() {
    QTest::addColumn<Corpus>("corpus");
    QTest::newRow("fixture") << Corpus::Fixture;
    QTest::newRow("shared") << Corpus::Shared;
}

/// True when the corpus can be read: the fixture always, the shared data when it is there.
inline bool corpusPresent(Corpus c, const QString &dir) {
    return c == Corpus::Fixture || QDir(dir).exists();
}

} // namespace rs::test

Q_DECLARE_METATYPE(rs::test::Corpus)

/// Declares `corpus` from the current row; the shared row is skipped when `dirOf(corpus)`
/// (test::alpacaDir or test::healthBenchDir) does not exist.
#define RS_FETCH_CORPUS(dirOf)                                                                     \
    QFETCH(rs::test::Corpus, corpus);                                                              \
    if (!rs::test::corpusPresent(corpus, dirOf(corpus)))                                           \
    QSKIP(qPrintable(QStringLiteral("shared data not found: ") + dirOf(corpus)))
