#include "judgeplan.h"

#include "aggregationjson.h"
#include "currentcriteria.h"
#include "fewshotexamples.h"
#include "holistictemplate.h"
#include "store/database.h"
#include "store/projectstore.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <algorithm>
#include <set>
#include <unordered_set>

namespace rs::judge {
namespace {

struct Key {
    qint64 response;
    qint64 hash;
    int grading;
    bool operator==(const Key &o) const
    {
        return response == o.response && hash == o.hash && grading == o.grading;
    }
};
struct KeyHash {
    size_t operator()(const Key &k) const
    {
        return std::hash<qint64>()(k.response * 1000003 ^ k.hash ^ (qint64(k.grading) << 56));
    }
};

} // namespace

QString runParams(const JudgeConfig &c)
{
    QJsonObject o{{QStringLiteral("temperature"), c.temperature},
                  {QStringLiteral("repeat_temperature"), c.repeatTemperature},
                  {QStringLiteral("tier"), c.tier},
                  {QStringLiteral("kind"), c.provider.kindName()},
                  {QStringLiteral("base_url"), c.provider.baseUrl},
                  {QStringLiteral("structured"), structuredName(c.structured)}};
    // What changes the answers is part of the run's identity; defaults stay out of it.
    if (c.mode == JudgeMode::Probability)
        o.insert(QStringLiteral("verdicts"), QStringLiteral("probability"));
    if (!c.reasoningEffort.isEmpty())
        o.insert(QStringLiteral("reasoning_effort"), c.reasoningEffort);
    if (c.thinkingBudget > 0)
        o.insert(QStringLiteral("thinking_budget"), c.thinkingBudget);
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

Expected<qint64> findRun(store::Database &db, const JudgeConfig &config, const JudgeTemplate &tpl)
{
    auto find = db.prepare("SELECT id FROM judge_runs WHERE provider = ?1 AND model = ?2 AND "
                           "mode = ?3 AND show_weights = ?4 AND gradings = ?5 AND "
                           "template_version = ?6 AND params = ?7 ORDER BY id LIMIT 1");
    if (!find)
        return find.error();
    find->bind(1, config.provider.name);
    find->bind(2, config.provider.model);
    find->bind(3, modeName(config.mode));
    find->bind(4, std::int64_t(config.showWeights));
    find->bind(5, std::int64_t(config.gradings));
    find->bind(6, tpl.version());
    find->bind(7, runParams(config));
    auto row = find->step();
    if (!row)
        return row.error();
    return row.value() ? find->columnInt(0) : qint64(0);
}

Expected<void> setRunStatus(store::ProjectStore &store, qint64 runId, const QString &status) {
    return store.writer().write([runId, status](store::Database &db) -> Expected<void> {
        auto st = db.prepare("UPDATE judge_runs SET status = ?2 WHERE id = ?1");
        if (!st)
            return st.error();
        st->bind(1, std::int64_t(runId));
        st->bind(2, status);
        return st->run();
    });
}

Expected<qint64> findOrCreateRun(store::ProjectStore &store, const JudgeConfig &config,
                                 const JudgeTemplate &tpl)
{
    qint64 runId = 0;
    const QString params = runParams(config);
    auto r = store.writer().write([&](store::Database &db) -> Expected<void> {
        auto found = findRun(db, config, tpl);
        if (!found)
            return found.error();
        if (found.value()) {
            runId = found.value();
            return {};
        }
        auto ins = db.prepare("INSERT INTO judge_runs(name, provider, model, mode, show_weights,"
                              " gradings, template, template_version, params, status)"
                              " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'running')");
        if (!ins)
            return ins.error();
        ins->bind(1, QStringLiteral("%1 · %2").arg(config.provider.model, modeKey(config.mode)));
        ins->bind(2, config.provider.name);
        ins->bind(3, config.provider.model);
        ins->bind(4, modeName(config.mode));
        ins->bind(5, std::int64_t(config.showWeights));
        ins->bind(6, std::int64_t(config.gradings));
        ins->bind(7, tpl.system() + QStringLiteral("\n---\n") + tpl.user());
        ins->bind(8, tpl.version());
        ins->bind(9, params);
        if (auto res = ins->run(); !res)
            return res;
        runId = db.lastInsertId();
        return {};
    });
    if (!r)
        return r.error();
    return runId;
}

namespace {

// A run scoped to a few responses (an RTD pool, a batch of `serve`, the consistency filter's
// pairs) reads only their rows: reading the whole project per batch cost `serve` most of its
// CPU. Past this many, one scan of each table is cheaper than a lookup per response.
constexpr qsizetype kScopedResponses = 4096;

// The responses a run covers, as (response id, prompt id) in id order.
Expected<std::vector<std::pair<qint64, qint64>>> responsesInScope(store::Database &db,
                                                                  const JudgeConfig &config,
                                                                  bool scoped)
{
    std::vector<std::pair<qint64, qint64>> out;
    // Without a tier, every response: (id, prompt_id) are both in the UNIQUE(prompt_id, …)
    // index, whose scan reads a few pages where the table's reads every response's text (10 ms
    // of a judge run's start on 1,610 responses, against 0.2 ms); sorted by id here.
    const bool everyResponse = !scoped && config.tier.isEmpty();
    auto rs = db.prepare(scoped          ? "SELECT id, prompt_id FROM responses WHERE id = ?2"
                                           " AND (?1 IS NULL OR tier = ?1)"
                         : everyResponse ? "SELECT id, prompt_id FROM responses"
                                         : "SELECT id, prompt_id FROM responses"
                                           " WHERE (?1 IS NULL OR tier = ?1) ORDER BY id");
    if (!rs)
        return rs.error();
    auto read = [&]() -> Expected<void> {
        if (!config.tier.isEmpty())
            rs->bind(1, config.tier);
        else if (!everyResponse) // its text has no parameter
            rs->bindNull(1);
        return rs->forEach([&] {
            const qint64 id = rs->columnInt(0);
            if (config.responseIds.isEmpty() || config.responseIds.contains(id))
                out.emplace_back(id, rs->columnInt(1));
        });
    };
    if (!scoped) {
        if (auto r = read(); !r)
            return r.error();
        if (everyResponse)
            std::sort(out.begin(), out.end());
        return out;
    }
    QList<qint64> ids(config.responseIds.cbegin(), config.responseIds.cend());
    std::sort(ids.begin(), ids.end());
    for (qint64 id : ids) {
        rs->reset();
        rs->bind(2, std::int64_t(id));
        if (auto r = read(); !r)
            return r.error();
    }
    return out;
}

// What a run already has, as (response, hash, grading): verdicts answered yes, no or refused
// by criterion hash, or holistic scores by guidance hash, for the responses in scope.
constexpr const char *kVerdictsAll = "SELECT response_id, criterion_hash, grading FROM verdicts"
                                     " WHERE run_id = ?1 AND verdict IN ('yes', 'no', 'refused')";
constexpr const char *kVerdictsOne = "SELECT response_id, criterion_hash, grading FROM verdicts"
                                     " WHERE run_id = ?1 AND response_id = ?2"
                                     " AND verdict IN ('yes', 'no', 'refused')";
constexpr const char *kScoresAll = "SELECT response_id, guidance_hash, grading FROM holistic_scores"
                                   " WHERE run_id = ?1 AND status IN ('ok', 'refused')";
constexpr const char *kScoresOne = "SELECT response_id, guidance_hash, grading FROM holistic_scores"
                                   " WHERE run_id = ?1 AND response_id = ?2"
                                   " AND status IN ('ok', 'refused')";

Expected<std::unordered_set<Key, KeyHash>> answeredKeys(
    store::Database &db, qint64 runId, const std::vector<std::pair<qint64, qint64>> &responses,
    bool scoped, const char *all, const char *one)
{
    std::unordered_set<Key, KeyHash> done;
    auto vs = db.prepare(scoped ? one : all);
    if (!vs)
        return vs.error();
    auto read = [&]() -> Expected<void> {
        vs->bind(1, std::int64_t(runId));
        return vs->forEach([&] {
            done.insert(Key{vs->columnInt(0), vs->columnInt(1), int(vs->columnInt(2))});
        });
    };
    if (!scoped) {
        if (auto r = read(); !r)
            return r.error();
        return done;
    }
    for (const auto &[responseId, promptId] : responses) {
        vs->reset();
        vs->bind(2, std::int64_t(responseId));
        if (auto r = read(); !r)
            return r.error();
    }
    return done;
}

} // namespace

Expected<JudgePlan> planRun(store::Database &db, qint64 runId, const JudgeConfig &config)
{
    JudgePlan plan;
    plan.runId = runId;
    const bool scoped = !config.responseIds.isEmpty() && config.responseIds.size() <= kScopedResponses;
    auto responses = responsesInScope(db, config, scoped);
    if (!responses)
        return responses.error();

    // Current criteria of each prompt's rubric, as scores read them. Criteria checked by code
    // are left out: the tally evaluates them locally, and the judge never sees them (a rubric
    // of checks alone needs no call at all).
    QHash<qint64, QList<JudgedCriterion>> criteria;
    std::unordered_map<ExampleKey, QList<CriterionExample>, ExampleKeyHash> examples;
    if (!config.fewShot.isEmpty()) {
        auto loaded = loadCriterionExamples(db);
        if (!loaded)
            return loaded.error();
        examples = std::move(loaded.value());
    }
    // An implicit rubric's guidance criteria are asked about together, as one holistic score.
    QHash<qint64, QList<JudgedCriterion>> guidance;
    QSet<qint64> implicitPrompts;
    qint64 lastPrompt = -1;
    bool implicit = false;
    auto visit = [&](const CurrentCriterion &c) {
        if (c.promptId != lastPrompt) { // criteria come by prompt: parse its aggregation once
            lastPrompt = c.promptId;
            implicit = isImplicitAggregation(c.aggregation);
            if (implicit)
                implicitPrompts.insert(c.promptId);
        }
        if (isGuidance(implicit, !c.checkJson.isEmpty(), c.veto)) {
            guidance[c.promptId].push_back(JudgedCriterion{
                c.stableId, c.text, c.weight, criterionHash(c.text, c.weight, true), {}});
            return;
        }
        if (!c.checkJson.isEmpty())
            return;
        JudgedCriterion j{c.stableId, c.text, c.weight,
                          criterionHash(c.text, c.weight, config.showWeights), {}};
        if (const auto it = examples.find(ExampleKey{c.promptId, c.stableId, c.text});
            it != examples.end())
            j.examples = it->second;
        criteria[c.promptId].push_back(std::move(j));
    };
    if (scoped) {
        std::set<qint64> prompts;
        for (const auto &[responseId, promptId] : responses.value())
            prompts.insert(promptId);
        for (qint64 p : prompts)
            if (auto r = forEachCurrentCriterion(db, visit, p); !r)
                return r.error();
    } else if (auto r = forEachCurrentCriterion(db, visit); !r) {
        return r.error();
    }
    // Candidates are judged as criteria in place of the rubric, never as a holistic score.
    for (auto it = config.candidates.cbegin(); it != config.candidates.cend(); ++it) {
        implicitPrompts.remove(it.key());
        QList<JudgedCriterion> &list = criteria[it.key()];
        list.clear();
        for (const CandidateCriterion &c : it.value())
            list.push_back(JudgedCriterion{c.id, c.text, c.weight,
                                           criterionHash(c.text, c.weight, config.showWeights), {}});
    }
    QHash<qint64, qint64> guidanceHashes;
    for (const qint64 promptId : std::as_const(implicitPrompts))
        guidanceHashes.insert(promptId, guidanceHash(guidance.value(promptId)));

    // Scores and verdicts are read into separate sets: a guidance hash is not a criterion's.
    auto scored = answeredKeys(db, runId, responses.value(), scoped, kScoresAll, kScoresOne);
    if (!scored)
        return scored.error();
    auto done = answeredKeys(db, runId, responses.value(), scoped, kVerdictsAll, kVerdictsOne);
    if (!done)
        return done.error();

    for (const auto &entry : responses.value()) {
        // Named copies: a lambda below captures the id, and a structured binding cannot be
        // captured before C++20 compilers caught up (clang 15).
        const qint64 responseId = entry.first;
        const qint64 promptId = entry.second;
        static const QList<JudgedCriterion> none;
        const auto it = criteria.constFind(promptId);
        const QList<JudgedCriterion> &judged = it == criteria.cend() ? none : *it;
        // A holistic score is asked for every implicit prompt, guidance or not: the judge
        // can still rate a response whose rubric is all vetoes and checks.
        const auto hash = guidanceHashes.constFind(promptId);
        const bool holistic = hash != guidanceHashes.cend() && config.cells.isEmpty();
        if (judged.isEmpty() && !holistic)
            continue;
        if (!config.cells.isEmpty() &&
            std::none_of(judged.cbegin(), judged.cend(), [&](const JudgedCriterion &c) {
                return config.cells.contains({responseId, c.stableId});
            }))
            continue;
        ++plan.responses;
        for (int g = 0; g < config.gradings; ++g) {
            if (holistic) {
                ++plan.verdictsWanted;
                if (scored->count(Key{responseId, *hash, g}))
                    ++plan.verdictsDone;
                else
                    plan.items.push_back(
                        WorkItem{responseId, promptId, g, guidance.value(promptId), true, *hash});
            }
            QList<JudgedCriterion> missing;
            for (const JudgedCriterion &c : judged) {
                if (!config.cells.isEmpty() && !config.cells.contains({responseId, c.stableId}))
                    continue;
                ++plan.verdictsWanted;
                if (done->count(Key{responseId, c.hash, g}))
                    ++plan.verdictsDone;
                else
                    missing.push_back(c);
            }
            if (missing.isEmpty())
                continue;
            if (config.mode == JudgeMode::Joint) {
                plan.items.push_back(WorkItem{responseId, promptId, g, missing, false, 0});
            } else {
                for (const auto &c : missing)
                    plan.items.push_back(WorkItem{responseId, promptId, g, {c}, false, 0});
            }
        }
    }
    return plan;
}

} // namespace rs::judge
