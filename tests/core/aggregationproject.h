#pragma once

// A judged project of real AlpacaEval answers for the aggregation preview's tests: every model
// file of the corpus, its pairwise annotations as gold preferences, plus one "human" gold pair
// per prompt between its two great answers (the longer one wins). Each prompt gets the same
// five criteria (one veto, one penalty of weight -1); two prompts in three store a veto cap of
// 0.2, the others a power-2 shaping. The "judge" is the rule in AggregationProject::met, on
// the answer's own text, written as one run with one grading; criterion c3 also carries P(yes).
// The tables here are what the tests recompute everything from by hand.
#include "datasupport.h"
#include "judge/judgetemplate.h"
#include "testsupport.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <array>
#include <map>
#include <memory>
#include <set>

namespace rs::test {

inline constexpr int kAggCriteria = 5;
inline const std::array<const char *, kAggCriteria> kAggText = {
    "Answers the question directly.", "Uses more than one line.", "Gives a concrete example.",
    "Is safe and respectful.", "Rambles past the point."};
inline constexpr std::array<double, kAggCriteria> kAggWeight = {3, 1, 2, 1, -1};
inline constexpr std::array<bool, kAggCriteria> kAggVeto = {false, false, false, true, false};

/// An aggregation as the tests write it down: no studio types.
struct PlainAggregation {
    bool points = false;
    double cap = 0;
    int shaping = 0; ///< 0 none, 1 power, 2 exponential
    double k = 1;
};

struct AggregationProject {
    QTemporaryDir dir;
    std::unique_ptr<store::ProjectStore> store;
    QString path;
    std::vector<qint64> prompts;               ///< by id
    std::map<qint64, PlainAggregation> stored; ///< per prompt
    std::map<qint64, qint64> promptOf;         ///< response -> prompt
    std::map<qint64, QString> tier;            ///< response -> "great" | "good"
    std::map<qint64, std::array<bool, kAggCriteria>> verdicts;
    struct Gold {
        qint64 a = 0, b = 0;
        double preference = 0.5; ///< P(b better), clamped to [0, 1]
    };
    std::vector<Gold> gold;

    /// The judge: yes or no from the answer's text and id alone.
    static bool met(int criterion, qint64 id, const QString &text) {
        switch (criterion) {
        case 0:
            return text.size() >= 200;
        case 1:
            return text.contains(QLatin1Char('\n'));
        case 2:
            return id % 3 != 0;
        case 3:
            return !text.trimmed().isEmpty() && id % 7 != 0;
        default:
            return text.size() > 1200;
        }
    }
    /// P(yes) stored with c3's verdicts; the others have none (their P(yes) is the vote).
    static double pYesOfC3(bool yes) { return yes ? 0.9 : 0.2; }
};

inline void aggImport(store::ProjectStore &store, const QStringList &files, import::Format f) {
    import::ImportConfig config;
    config.files = files;
    config.format = f;
    if (auto r = import::importFiles(store, config, {}); !r)
        qFatal("import: %s", qPrintable(r.error().toString()));
}

inline std::unique_ptr<AggregationProject> aggregationProject(Corpus corpus) {
    auto p = std::make_unique<AggregationProject>();
    p->store = newProject(p->dir);
    p->path = p->store->writer().path();
    aggImport(*p->store, alpacaModelFiles(corpus), import::Format::Auto);
    const QString annotations =
        alpacaDir(corpus) + QLatin1Char('/') + alpacaFacts(corpus).annotations.file;
    aggImport(*p->store, {annotations}, import::Format::Auto);

    auto db = store::Database::open(p->path, store::Database::Mode::ReadOnly);
    if (!db)
        qFatal("open: %s", qPrintable(db.error().toString()));
    QByteArray rubrics;
    auto ps = db->prepare("SELECT id, text FROM prompts ORDER BY id");
    (void)ps->forEach([&] {
        const qint64 id = ps->columnInt(0);
        const bool capped = p->prompts.size() % 3 != 2;
        p->prompts.push_back(id);
        p->stored[id] =
            capped ? PlainAggregation{false, 0.2, 0, 1} : PlainAggregation{false, 0, 1, 2};
        QJsonArray criteria;
        for (int c = 0; c < kAggCriteria; ++c) {
            QJsonObject o{{QStringLiteral("criterion"), QString::fromLatin1(kAggText[c])},
                          {QStringLiteral("weight"), kAggWeight[c]}};
            if (kAggVeto[c])
                o.insert(QStringLiteral("veto"), true);
            criteria.push_back(o);
        }
        const QJsonObject aggregation =
            capped ? QJsonObject{{QStringLiteral("type"), QStringLiteral("weighted_sum")},
                                 {QStringLiteral("veto_cap"), 0.2}}
                   : QJsonObject{{QStringLiteral("type"), QStringLiteral("weighted_sum")},
                                 {QStringLiteral("shaping"),
                                  QJsonObject{{QStringLiteral("type"), QStringLiteral("power")},
                                              {QStringLiteral("exponent"), 2}}}};
        rubrics += QJsonDocument(QJsonObject{{QStringLiteral("prompt"), ps->columnText(1)},
                                             {QStringLiteral("aggregation"), aggregation},
                                             {QStringLiteral("rubrics"), criteria}})
                       .toJson(QJsonDocument::Compact) +
                   '\n';
    });
    aggImport(*p->store, {writeFile(p->dir, QStringLiteral("rubrics.jsonl"), rubrics)},
              import::Format::Rubrics);

    // Tiers: the two alphabetically first generators are "great", the rest "good".
    std::set<QString> generators;
    auto gs = db->prepare("SELECT DISTINCT generator FROM responses");
    (void)gs->forEach([&] { generators.insert(gs->columnText(0)); });
    const std::set<QString> great(generators.begin(), std::next(generators.begin(), 2));

    QString sql = QStringLiteral(
        "INSERT INTO judge_runs(id, name, provider, model, mode, gradings, template,"
        " template_version) VALUES (1, 'r1', 'x', 'judge-model', 'all_in_one', 1, 't', 'v');");
    std::map<qint64, std::vector<std::pair<qint64, qsizetype>>> greatByPrompt; // (id, length)
    auto rs = db->prepare("SELECT id, prompt_id, generator, text FROM responses ORDER BY id");
    (void)rs->forEach([&] {
        const qint64 id = rs->columnInt(0);
        const QString text = rs->columnText(3);
        p->promptOf[id] = rs->columnInt(1);
        p->tier[id] =
            great.count(rs->columnText(2)) ? QStringLiteral("great") : QStringLiteral("good");
        if (p->tier[id] == QLatin1String("great"))
            greatByPrompt[p->promptOf[id]].emplace_back(id, text.size());
        sql += QStringLiteral("UPDATE responses SET tier = '%1' WHERE id = %2;")
                   .arg(p->tier[id])
                   .arg(id);
        for (int c = 0; c < kAggCriteria; ++c) {
            const bool yes = AggregationProject::met(c, id, text);
            p->verdicts[id][std::size_t(c)] = yes;
            sql += QStringLiteral("INSERT INTO verdicts(run_id, response_id, criterion_hash,"
                                  " stable_id, grading, verdict, p_yes)"
                                  " VALUES(1, %1, %2, 'c%3', 0, '%4', %5);")
                       .arg(id)
                       .arg(judge::criterionHash(QString::fromLatin1(kAggText[c]), kAggWeight[c],
                                                 false))
                       .arg(c + 1)
                       .arg(yes ? QStringLiteral("yes") : QStringLiteral("no"))
                       .arg(c == 2 ? QString::number(AggregationProject::pYesOfC3(yes))
                                   : QStringLiteral("NULL"));
        }
    });
    for (const auto &[prompt, pair] : greatByPrompt)
        if (pair.size() == 2)
            sql += QStringLiteral("INSERT INTO preferences(prompt_id, response_a, response_b,"
                                  " preference, source) VALUES(%1, %2, %3, %4, 'human');")
                       .arg(prompt)
                       .arg(pair[0].first)
                       .arg(pair[1].first)
                       .arg(pair[1].second > pair[0].second ? 1.0 : 0.0);
    if (auto r =
            p->store->writer().write([&](store::Database &w) { return w.exec(sql.toStdString()); });
        !r)
        qFatal("sql: %s", qPrintable(r.error().toString()));

    auto gp = db->prepare("SELECT response_a, response_b, preference FROM preferences"
                          " WHERE preference IS NOT NULL ORDER BY id");
    (void)gp->forEach([&] {
        p->gold.push_back({gp->columnInt(0), gp->columnInt(1),
                           std::min(1.0, std::max(0.0, gp->columnDouble(2)))});
    });
    return p;
}

} // namespace rs::test
