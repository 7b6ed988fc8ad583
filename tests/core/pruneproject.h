#pragma once

// The prune tests' project: the first five AlpacaEval prompts of a corpus with every model's
// answers (real text), each given one hand-written rubric whose criteria most answers pass,
// none passes, some pass, and one checked by code, judged by the local test server. Tiers:
// every third response is "great". Plus the plain re-implementation of the dead list that the
// tests hold rubric::deadCriteria to.
#include "authoringsupport.h"
#include "judge/judgerunner.h"
#include "judge/verdicttally.h"
#include "llm/llmscheduler.h"
#include "rubric/checkspec.h"
#include "rubric/deadcriteria.h"
#include "rubric/rubricversions.h"

#include <QMap>

#include <algorithm>

namespace rs::test {

inline QList<rubric::CriterionDraft> pruneRubric() {
    rubric::CheckSpec oneWord;
    oneWord.type = rubric::CheckType::MinWords;
    oneWord.value = 1;
    QList<rubric::CriterionDraft> out;
    out.push_back({{}, QStringLiteral("The response mentions \"the\"."), 1, {}, {}, {}, false});
    out.push_back(
        {{}, QStringLiteral("The response is at least 3000 words long."), 1, {}, {}, {}, false});
    out.push_back(
        {{}, QStringLiteral("The response is at least 120 words long."), 2, {}, {}, {}, false});
    out.push_back({{}, QStringLiteral("The response mentions \"example\"."), 2, {}, {}, {}, false});
    out.push_back({{},
                   QStringLiteral("The response says something."),
                   1,
                   {},
                   {},
                   rubric::checkToText(oneWord),
                   false});
    return out;
}

/// The project, judged (run 1); `server` answers the judge.
inline std::unique_ptr<store::ProjectStore> pruneProject(Corpus corpus, const QTemporaryDir &dir,
                                                         const QString &name,
                                                         const ServerProcess &server) {
    auto store = alpacaProject(corpus, dir, name);
    auto db = store::Database::open(store->path(), store::Database::Mode::ReadOnly);
    auto ids = db->prepare("SELECT id FROM prompts ORDER BY id");
    QList<qint64> prompts;
    while (ids->step().value())
        prompts << ids->columnInt(0);
    for (const qint64 p : prompts)
        if (!rubric::saveVersion(*store, p, {QStringLiteral("manual"), {}}, pruneRubric()).ok())
            qFatal("saveVersion failed");
    auto tiers = store->writer().write([](store::Database &w) {
        return w.exec(
            "UPDATE responses SET tier = CASE WHEN id % 3 = 0 THEN 'great' ELSE 'good' END");
    });
    if (!tiers)
        qFatal("tiers: %s", qPrintable(tiers.error().toString()));
    llm::LlmScheduler scheduler(llm::PriceTable(), store.get());
    judge::JudgeConfig config;
    config.provider = serverProvider(server, QStringLiteral("test-judge"));
    auto judged = judge::JudgeRunner(*store, scheduler).run(config, {});
    if (!judged || judged->failedCalls > 0)
        qFatal("judging failed");
    return store;
}

/// "text|weight" per criterion, in order.
inline QStringList lines(const QList<CriterionRecord> &criteria) {
    QStringList out;
    for (const CriterionRecord &c : criteria)
        out << QStringLiteral("%1|%2").arg(c.text).arg(c.weight);
    return out;
}

inline store::Database readOnly(const store::ProjectStore &store) {
    return std::move(store::Database::open(store.path(), store::Database::Mode::ReadOnly).value());
}

/// The dead list under the latest run with the top k.
inline rubric::DeadCriteriaReport listed(store::Database &db, int k) {
    rubric::DeadCriteriaOptions o;
    o.top.k = k;
    auto r = rubric::deadCriteria(db, o);
    if (!r)
        qFatal("deadCriteria: %s", qPrintable(r.error().toString()));
    return r.value();
}

/// One dead criterion as "prompt|id|way|judged/top|top ids", for comparing lists.
struct ExpectedDead final {
    QStringList rows;
    QMap<QString, QSet<qint64>> promptsByText; ///< text -> prompts where it is dead
};

/// The dead list recomputed by hand from the tally's verdicts: per prompt, rewards as
/// Σ weight·yes / Σ weight (missing counts as no), ranked best first with ties by response id,
/// the top k (or the responses of `tiers`), and a criterion dead when at least two of them
/// have a verdict and all are yes or all are no.
inline ExpectedDead expectedDead(store::Database &db, int k, const QStringList &tiers = {}) {
    auto loaded = judge::VerdictTally::load(db, {});
    if (!loaded)
        qFatal("tally: %s", qPrintable(loaded.error().toString()));
    const judge::VerdictTally &t = loaded.value();
    QMap<qint64, QList<const judge::TallyResponse *>> byPrompt;
    for (const judge::TallyResponse &r : t.responses())
        if (r.prompt >= 0)
            byPrompt[r.promptId].push_back(&r);
    ExpectedDead out;
    for (auto it = byPrompt.begin(); it != byPrompt.end(); ++it) {
        const judge::TallyPrompt &p = *t.promptOf(*it.value().front());
        // Within a prompt every response shares Σ weight, so the weighted yes count ranks them
        // exactly (no rounding between equal rewards).
        QList<std::pair<double, const judge::TallyResponse *>> ranked;
        for (const judge::TallyResponse *r : it.value()) {
            if (!tiers.isEmpty() && !tiers.contains(r->tier))
                continue;
            double met = 0;
            for (int c = 0; c < p.count; ++c)
                if (t.verdict(r->firstCell + std::size_t(c)).value_or(false))
                    met += t.criterion(*r, c).weight;
            ranked.push_back({met, r});
        }
        std::sort(ranked.begin(), ranked.end(), [](const auto &a, const auto &b) {
            return a.first != b.first ? a.first > b.first
                                      : a.second->responseId < b.second->responseId;
        });
        if (tiers.isEmpty() && ranked.size() > k)
            ranked.resize(k);
        QStringList topIds;
        for (const auto &[met, r] : ranked)
            topIds << QString::number(r->responseId);
        for (int c = 0; c < p.count; ++c) {
            int yes = 0, judged = 0;
            for (const auto &[met, r] : ranked) {
                if (const auto v = t.verdict(r->firstCell + std::size_t(c))) {
                    ++judged;
                    yes += *v;
                }
            }
            if (judged < 2 || (yes != 0 && yes != judged))
                continue;
            const judge::TallyCriterion &crit = t.criterion(*ranked.front().second, c);
            out.rows << QStringLiteral("%1|%2|%3|%4/%5|%6")
                            .arg(p.promptId)
                            .arg(crit.stableId,
                                 yes ? QStringLiteral("all_pass") : QStringLiteral("all_fail"))
                            .arg(judged)
                            .arg(ranked.size())
                            .arg(topIds.join(QLatin1Char(',')));
            out.promptsByText[crit.text].insert(p.promptId);
        }
    }
    return out;
}

} // namespace rs::test
