// Generates the scale benchmark's project: P prompts x G responses x C criteria, one rubric per
// prompt (one head version), one joint judge run with one grading, and a yes/no verdict for
// every response x criterion (5,000 x 16 x 15 = 1.2M verdicts at the default size).
//
// The project is created with rs::store::ProjectStore::create, so page size, journal mode and
// schema are the studio's own, and filled in ONE writer transaction (ProjectWriter::write).
// Verdict rows carry criterion_hash = rs::judge::criterionHash(text, weight, false), exactly
// what the judge runner stores, so computeScores and loadVerdictGrid match them.
//
// Seeded and reproducible: the same options give the same ids, texts, weights and verdicts
// (timestamps are fixed too). Rows are laid out as a real project would have them: responses
// imported generator by generator (one file per generator, so a prompt's 16 responses are
// spread over the table), judge calls and verdicts in response-id order, as the judge plans.
//
// Writes to PROJECT.tmp and renames on success, so an interrupted run never leaves a file that
// looks complete; also writes PROJECT.meta.json describing what was generated.

#include "import/utf8.h"
#include "judge/judgetemplate.h"
#include "store/database.h"
#include "store/projectstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace {

using rs::Expected;
using rs::store::Database;
using rs::store::Statement;

constexpr const char *kCreatedAt = "2024-06-11T12:00:00.000Z";
constexpr int kGeneratorVersion = 1; // bump when the generated content changes

// splitmix64: tiny, seedable, and identical on every platform (std distributions are not).
class Rng {
public:
    explicit Rng(std::uint64_t seed)
        : m_s(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (m_s += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    /// Uniform in [lo, hi].
    int range(int lo, int hi) { return lo + int(next() % std::uint64_t(hi - lo + 1)); }
    double unit() { return double(next() >> 11) * 0x1.0p-53; }

private:
    std::uint64_t m_s;
};

const std::array<const char *, 16> kGenerators = {
    "gpt-4o-2024-08-06",    "claude-3-5-sonnet",    "llama-3.1-70b-instruct",
    "mistral-large-2407",   "qwen2.5-72b-instruct", "gemma-2-27b-it",
    "deepseek-v2.5",        "command-r-plus",       "phi-3.5-moe",
    "yi-1.5-34b-chat",      "mixtral-8x22b",        "llama-3.1-8b-instruct",
    "policy-sft-step-1200", "policy-dpo-step-800",  "policy-rl-step-400",
    "reference-human"};
const std::array<const char *, 4> kTiers = {"great", "good", "ok", "bad"};
const std::array<double, 4> kTierYes = {0.85, 0.68, 0.50, 0.30};

const char *const kWords[] = {
    "the",       "of",        "and",      "to",       "in",      "is",         "that",
    "for",       "it",        "as",       "with",     "on",      "be",         "by",
    "this",      "are",       "or",       "from",     "at",      "an",         "which",
    "model",     "answer",    "response", "question", "should",  "would",      "could",
    "however",   "therefore", "because",  "example",  "first",   "second",     "finally",
    "consider",  "important", "note",     "result",   "value",   "function",   "data",
    "system",    "user",      "approach", "method",   "step",    "process",    "analysis",
    "evidence",  "source",    "claim",    "reason",   "context", "detail",     "patient",
    "dose",      "treatment", "symptom",  "risk",     "benefit", "study",      "trial",
    "guideline", "recommend", "avoid",    "code",     "compile", "error",      "memory",
    "thread",    "lock",      "queue",    "buffer",   "parse",   "token",      "string",
    "integer",   "vector",    "market",   "price",    "cost",    "revenue",    "growth",
    "policy",    "law",       "contract", "clause",   "party",   "obligation", "notice",
    "history",   "century",   "empire",   "trade",    "route",   "river",      "mountain",
    "climate",   "rainfall",  "harvest",  "village",  "quantum", "energy",     "particle",
    "field",     "wave",      "measure",  "observe",  "theory",  "experiment", "constant",
    "matrix",    "naïve",     "café",     "Größe",    "über",    "Zürich",     "Москва",
    "東京",      "→",         "≤",        "±",        "°C",      "€",          "—"};
constexpr int kWordCount = int(sizeof(kWords) / sizeof(kWords[0]));

const char *const kCriterionStems[] = {"The response states",
                                       "The response explains",
                                       "The response mentions",
                                       "The response avoids",
                                       "The response recommends",
                                       "The response correctly identifies",
                                       "The response gives a concrete example of",
                                       "The response warns about",
                                       "The response cites a source for",
                                       "The response quantifies",
                                       "The response compares",
                                       "The response does not overstate",
                                       "The response asks a clarifying question about",
                                       "The response summarises",
                                       "The response distinguishes"};

/// Appends words until `out` has at least `chars` bytes; sentences of 6-18 words.
void appendText(std::string &out, Rng &rng, size_t chars) {
    const size_t target = out.size() + chars;
    int inSentence = 0, sentenceLen = rng.range(6, 18);
    while (out.size() < target) {
        if (inSentence == 0 && !out.empty() && out.back() != '\n')
            out += ' ';
        else if (inSentence > 0)
            out += ' ';
        out += kWords[rng.range(0, kWordCount - 1)];
        if (++inSentence == sentenceLen) {
            out += rng.range(0, 9) == 0 ? ".\n\n" : ".";
            inSentence = 0;
            sentenceLen = rng.range(6, 18);
        }
    }
}

// The import's criterion content hash (core/import/importsink.cpp): text, weight, category.
std::int64_t criterionContentHash(const std::string &text, double weight) {
    std::string key = text;
    key += '\x1f';
    key += std::to_string(weight);
    key += '\x1f'; // no category
    return rs::import::contentHash(key);
}

struct Options {
    int prompts = 5000;
    int generators = 16;
    int criteria = 15;
    std::uint64_t seed = 20240611;
    int rationaleChars = 0; ///< 0: no rationale (the joint-v1 template asks for bare yes/no)
};

struct Counts {
    qint64 prompts = 0, responses = 0, rubrics = 0, criteria = 0, calls = 0, verdicts = 0, yes = 0;
};

Expected<Statement> prep(Database &db, std::string_view sql) {
    return db.prepare(sql);
}

#define TRY(expr)                                                                                  \
    do {                                                                                           \
        if (auto r_ = (expr); !r_)                                                                 \
            return r_.error();                                                                     \
    } while (0)

Expected<void> fill(Database &db, const Options &o, Counts &n) {
    // A larger page cache for the one big transaction (generation speed only; not measured).
    TRY(db.exec("PRAGMA cache_size = -262144"));
    Rng rng(o.seed);
    const int P = o.prompts, G = o.generators, C = o.criteria;

    // --- prompts ------------------------------------------------------------------------
    auto insP = prep(db, "INSERT INTO prompts(id, text, dataset, external_id, created_at)"
                         " VALUES(?1, ?2, 'scale-bench', ?3, ?4)");
    if (!insP)
        return insP.error();
    for (int p = 1; p <= P; ++p) {
        std::string text = "Prompt #" + std::to_string(p) + ": ";
        appendText(text, rng, size_t(rng.range(150, 550)));
        text += '?';
        insP->reset();
        insP->bind(1, std::int64_t(p));
        insP->bind(2, std::string_view(text));
        insP->bind(3, std::string_view("scale-" + std::to_string(p)));
        insP->bind(4, std::string_view(kCreatedAt));
        TRY(insP->run());
        ++n.prompts;
    }

    // --- responses: one import per generator, so id = g * P + p -------------------------
    auto insR = prep(db, "INSERT INTO responses(id, prompt_id, generator, text, text_hash,"
                         " source_file, tier, off_policy, length, is_empty, created_at)"
                         " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8, 0, ?9)");
    if (!insR)
        return insR.error();
    for (int g = 0; g < G; ++g) {
        const std::string gen = kGenerators[size_t(g) % kGenerators.size()] +
                                (g >= int(kGenerators.size()) ? "-" + std::to_string(g) : "");
        const std::string file = "generations/" + gen + ".jsonl";
        for (int p = 1; p <= P; ++p) {
            std::string text;
            appendText(text, rng, size_t(rng.range(900, 2000)));
            insR->reset();
            insR->bind(1, std::int64_t(qint64(g) * P + p));
            insR->bind(2, std::int64_t(p));
            insR->bind(3, std::string_view(gen));
            insR->bind(4, std::string_view(text));
            insR->bind(5, rs::import::contentHash(text));
            insR->bind(6, std::string_view(file));
            insR->bind(7, std::string_view(kTiers[size_t(g) * kTiers.size() / size_t(G)]));
            insR->bind(8, rs::import::codePointCount(text));
            insR->bind(9, std::string_view(kCreatedAt));
            TRY(insR->run());
            ++n.responses;
        }
    }

    // --- rubrics: one per prompt, one version of C criteria (weights 1-3) -----------------
    auto insB = prep(db, "INSERT INTO rubrics(id, prompt_id, name, scoring, created_at)"
                         " VALUES(?1, ?1, '', 'weights', ?2)");
    auto insV = prep(db, "INSERT INTO rubric_versions(id, rubric_id, parent_id, origin,"
                         " origin_detail, created_at) VALUES(?1, ?1, NULL, 'import', ?2, ?3)");
    auto head = prep(db, "UPDATE rubrics SET head_version_id = ?1 WHERE id = ?1");
    auto insC = prep(db, "INSERT INTO criteria(version_id, stable_id, position, text, weight,"
                         " content_hash) VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    for (auto *st : {&insB, &insV, &head, &insC})
        if (!*st)
            return st->error();
    // What the verdict loop needs of each criterion; hashes exactly as the judge stores them.
    struct Crit {
        std::int64_t hash;
        double difficulty; ///< shifts the yes rate of this criterion
    };
    std::vector<Crit> crits(static_cast<size_t>(P) * size_t(C));
    std::vector<std::string> stableIds;
    for (int c = 0; c < C; ++c)
        stableIds.push_back("c" + std::to_string(c + 1));
    for (int p = 1; p <= P; ++p) {
        insB->reset();
        insB->bind(1, std::int64_t(p));
        insB->bind(2, std::string_view(kCreatedAt));
        TRY(insB->run());
        insV->reset();
        insV->bind(1, std::int64_t(p));
        insV->bind(
            2, std::string_view("{\"file\":\"rubrics.jsonl\",\"line\":" + std::to_string(p) + "}"));
        insV->bind(3, std::string_view(kCreatedAt));
        TRY(insV->run());
        head->reset();
        head->bind(1, std::int64_t(p));
        TRY(head->run());
        ++n.rubrics;
        for (int c = 0; c < C; ++c) {
            std::string text = kCriterionStems[rng.range(0, 14)];
            text += ' ';
            appendText(text, rng, size_t(rng.range(40, 140)));
            text +=
                " (criterion " + std::to_string(c + 1) + " of prompt " + std::to_string(p) + ").";
            const double weight = double(rng.range(1, 3));
            insC->reset();
            insC->bind(1, std::int64_t(p));
            insC->bind(2, std::string_view(stableIds[size_t(c)]));
            insC->bind(3, std::int64_t(c));
            insC->bind(4, std::string_view(text));
            insC->bind(5, weight);
            insC->bind(6, criterionContentHash(text, weight));
            TRY(insC->run());
            ++n.criteria;
            crits[size_t(p - 1) * size_t(C) + size_t(c)] =
                Crit{rs::judge::criterionHash(
                         QString::fromUtf8(text.data(), qsizetype(text.size())), weight, false),
                     (rng.unit() - 0.5) * 0.3};
        }
    }

    // --- the judge run ----------------------------------------------------------------------
    auto insRun = prep(db, "INSERT INTO judge_runs(id, name, provider, model, mode, show_weights,"
                           " gradings, template, template_version, params, status, created_at)"
                           " VALUES(1, 'synthetic-judge · all_in_one', 'bench', 'synthetic-judge',"
                           " 'all_in_one', 0, 1, ?1, 'joint-v2', '{}', 'complete', ?2)");
    if (!insRun)
        return insRun.error();
    insRun->bind(1, rs::judge::JudgeTemplate::defaultSystem(rs::judge::JudgeMode::Joint) +
                        QStringLiteral("\n---\n") +
                        rs::judge::JudgeTemplate::defaultUser(rs::judge::JudgeMode::Joint));
    insRun->bind(2, std::string_view(kCreatedAt));
    TRY(insRun->run());
    const std::int64_t runId = 1;

    // --- judge calls and verdicts, in response-id order (the judge plan's order) ------------
    auto insCall = prep(db, "INSERT INTO judge_calls(run_id, response_id, grading, temperature,"
                            " raw, attempts, cached, tokens_in, tokens_out, cost_usd, created_at)"
                            " VALUES(?1, ?2, 0, 0, ?3, 1, 0, ?4, ?5, ?6, ?7)");
    auto insVd = prep(db, "INSERT INTO verdicts(run_id, response_id, criterion_hash, stable_id,"
                          " grading, verdict, rationale, attempts, cached, call_id, created_at)"
                          " VALUES(?1, ?2, ?3, ?4, 0, ?5, ?6, 1, 0, ?7, ?8)");
    if (!insCall)
        return insCall.error();
    if (!insVd)
        return insVd.error();
    std::vector<bool> met(static_cast<size_t>(C));
    std::vector<std::string> reasons(static_cast<size_t>(C));
    for (qint64 rid = 1; rid <= qint64(P) * G; ++rid) {
        const int p = int((rid - 1) % P) + 1;
        const int g = int((rid - 1) / P);
        const double base = kTierYes[size_t(g) * kTierYes.size() / size_t(G)];
        std::string raw = "{";
        for (int c = 0; c < C; ++c) {
            const Crit &k = crits[size_t(p - 1) * size_t(C) + size_t(c)];
            met[size_t(c)] = rng.unit() < base + k.difficulty;
            reasons[size_t(c)].clear();
            if (o.rationaleChars > 0)
                appendText(reasons[size_t(c)], rng,
                           size_t(rng.range(o.rationaleChars / 2, o.rationaleChars * 3 / 2)));
            raw += (c ? ", \"" : "\"") + stableIds[size_t(c)] + "\": ";
            if (o.rationaleChars > 0)
                raw += std::string("{\"verdict\": \"") + (met[size_t(c)] ? "yes" : "no") +
                       "\", \"reason\": \"" + reasons[size_t(c)] + "\"}";
            else
                raw += met[size_t(c)] ? "\"yes\"" : "\"no\"";
        }
        raw += "}";
        insCall->reset();
        insCall->bind(1, runId);
        insCall->bind(2, std::int64_t(rid));
        insCall->bind(3, std::string_view(raw));
        insCall->bind(4, std::int64_t(rng.range(600, 1400)));
        insCall->bind(5, std::int64_t(raw.size() / 4 + 5));
        insCall->bind(6, 0.0025 + double(raw.size()) * 1e-6);
        insCall->bind(7, std::string_view(kCreatedAt));
        TRY(insCall->run());
        ++n.calls;
        const std::int64_t callId = db.lastInsertId();
        for (int c = 0; c < C; ++c) {
            const Crit &k = crits[size_t(p - 1) * size_t(C) + size_t(c)];
            insVd->reset();
            insVd->bind(1, runId);
            insVd->bind(2, std::int64_t(rid));
            insVd->bind(3, std::int64_t(k.hash));
            insVd->bind(4, std::string_view(stableIds[size_t(c)]));
            insVd->bind(5, std::string_view(met[size_t(c)] ? "yes" : "no"));
            if (o.rationaleChars > 0)
                insVd->bind(6, std::string_view(reasons[size_t(c)]));
            else
                insVd->bindNull(6);
            insVd->bind(7, callId);
            insVd->bind(8, std::string_view(kCreatedAt));
            TRY(insVd->run());
            ++n.verdicts;
            n.yes += met[size_t(c)];
        }
    }
    TRY(db.exec("PRAGMA cache_size = -2000"));
    return {};
}

} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    QCommandLineParser cli;
    cli.setApplicationDescription(QStringLiteral("Generates the scale benchmark's project (prompts "
                                                 "x responses x criteria, one judge run)."));
    cli.addHelpOption();
    cli.addPositionalArgument(QStringLiteral("project"), QStringLiteral("project file to create"));
    const QCommandLineOption promptsOpt(QStringLiteral("prompts"), QStringLiteral("prompts (5000)"),
                                        QStringLiteral("n"), QStringLiteral("5000"));
    const QCommandLineOption gensOpt(QStringLiteral("generators"),
                                     QStringLiteral("responses per prompt (16)"),
                                     QStringLiteral("n"), QStringLiteral("16"));
    const QCommandLineOption critOpt(QStringLiteral("criteria"),
                                     QStringLiteral("criteria per rubric (15)"),
                                     QStringLiteral("n"), QStringLiteral("15"));
    const QCommandLineOption seedOpt(QStringLiteral("seed"), QStringLiteral("seed (20240611)"),
                                     QStringLiteral("n"), QStringLiteral("20240611"));
    const QCommandLineOption ratOpt(
        QStringLiteral("rationale-chars"),
        QStringLiteral("mean rationale length per verdict; 0 = none, as "
                       "the joint-v1 template gives (0)"),
        QStringLiteral("n"), QStringLiteral("0"));
    cli.addOptions({promptsOpt, gensOpt, critOpt, seedOpt, ratOpt});
    cli.process(app);
    if (cli.positionalArguments().size() != 1)
        cli.showHelp(2);
    const QString path = cli.positionalArguments().first();

    Options o;
    o.prompts = cli.value(promptsOpt).toInt();
    o.generators = cli.value(gensOpt).toInt();
    o.criteria = cli.value(critOpt).toInt();
    o.seed = cli.value(seedOpt).toULongLong();
    o.rationaleChars = cli.value(ratOpt).toInt();
    if (o.prompts < 1 || o.generators < 1 || o.criteria < 1 || o.criteria > 15 ||
        o.rationaleChars < 0) {
        std::fprintf(stderr, "bad sizes (criteria must be 1..15)\n");
        return 2;
    }

    const QString tmp = path + QStringLiteral(".tmp");
    for (const QString &f :
         QStringList{path, tmp, tmp + QStringLiteral("-wal"), tmp + QStringLiteral("-shm")})
        QFile::remove(f);
    const auto t0 = std::chrono::steady_clock::now();
    Counts n;
    {
        auto store = rs::store::ProjectStore::create(tmp);
        if (!store) {
            std::fprintf(stderr, "%s\n", qPrintable(store.error().toString()));
            return 1;
        }
        auto r = store.value()->writer().write(
            [&](Database &db) -> Expected<void> { return fill(db, o, n); });
        if (!r) {
            std::fprintf(stderr, "generation failed: %s\n", qPrintable(r.error().toString()));
            return 1;
        }
    } // closing the store checkpoints the WAL into the file and removes it
    if (QFile::exists(tmp + QStringLiteral("-wal")) || !QFile::rename(tmp, path)) {
        std::fprintf(stderr, "cannot finish %s\n", qPrintable(path));
        return 1;
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    const QJsonObject meta{{QStringLiteral("generator_version"), kGeneratorVersion},
                           {QStringLiteral("prompts"), o.prompts},
                           {QStringLiteral("generators"), o.generators},
                           {QStringLiteral("criteria_per_rubric"), o.criteria},
                           {QStringLiteral("seed"), QString::number(o.seed)},
                           {QStringLiteral("rationale_chars"), o.rationaleChars},
                           {QStringLiteral("responses"), n.responses},
                           {QStringLiteral("rubrics"), n.rubrics},
                           {QStringLiteral("criteria"), n.criteria},
                           {QStringLiteral("judge_calls"), n.calls},
                           {QStringLiteral("verdicts"), n.verdicts},
                           {QStringLiteral("yes_verdicts"), n.yes},
                           {QStringLiteral("run_id"), 1},
                           {QStringLiteral("file_bytes"), QFile(path).size()},
                           {QStringLiteral("seconds"), seconds}};
    QFile mf(path + QStringLiteral(".meta.json"));
    if (!mf.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        mf.write(QJsonDocument(meta).toJson(QJsonDocument::Compact)) < 0) {
        std::fprintf(stderr, "cannot write %s\n", qPrintable(mf.fileName()));
        return 1;
    }
    std::printf("%s\n", QJsonDocument(meta).toJson(QJsonDocument::Compact).constData());
    return 0;
}
