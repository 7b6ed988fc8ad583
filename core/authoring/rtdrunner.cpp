#include "rtdrunner.h"

#include "generationattempts.h"
#include "judgestage.h"
#include "judge/judgerunner.h"
#include "judge/scorereader.h"
#include "proposertemplate.h"
#include "rubric/rubricversions.h"
#include "rubric/stableids.h"
#include "store/database.h"
#include "store/projectstore.h"

#include <QHash>
#include <QJsonDocument>
#include <QSet>

namespace rs::authoring {
namespace {

/// The query's one text column, empty when it finds no row. A failed read is an error, not an
/// empty text: a rewrite asked about an empty prompt or response would still be paid for.
Expected<QString> textOf(store::Database &db, const char *sql, qint64 id) {
    auto st = db.prepare(sql);
    if (!st)
        return st.error();
    st->bind(1, std::int64_t(id));
    auto row = st->step();
    if (!row)
        return row.error();
    return *row ? st->columnText(0) : QString();
}

QList<ShownCriterion> shown(const QList<CriterionRecord> &criteria)
{
    QList<ShownCriterion> out;
    for (const auto &c : criteria)
        out.push_back({c.stableId, c.text, c.weight});
    return out;
}

} // namespace

struct RtdRunner::PromptState {
    qint64 promptId = 0;
    int series = 1;
    int completed = 0;
    int target = 0;
    QList<qint64> pool; ///< response ids not yet used in this series
    bool active() const { return completed < target && pool.size() >= 2; }
};

struct RtdRunner::Scope {
    std::vector<PromptState> states;
    std::optional<ServedResponses> served;
};

qint64 RtdPool::responseCount() const
{
    qint64 n = 0;
    for (const auto &ids : responses)
        n += ids.size();
    return n;
}

Expected<RtdRunner::Scope> RtdRunner::loadStates(const RtdConfig &config)
{
    auto db = store::Database::open(m_store.path(), store::Database::Mode::ReadOnly);
    if (!db)
        return db.error();
    Scope scope;
    if (config.servedPool) {
        auto served = loadServedResponses(db.value(), *config.servedPool, config.seed);
        if (!served)
            return served.error();
        scope.served = std::move(served.value());
    }
    QSet<qint64> wanted(config.promptIds.begin(), config.promptIds.end());
    if (config.selection == PairSelection::Manual) {
        if (!config.manualPair)
            return makeError(QStringLiteral("a hand-picked round needs the two response ids"));
        auto promptA = textOf(db.value(), "SELECT prompt_id FROM responses WHERE id = ?1",
                              config.manualPair->first);
        if (!promptA)
            return promptA.error();
        auto promptB = textOf(db.value(), "SELECT prompt_id FROM responses WHERE id = ?1",
                              config.manualPair->second);
        if (!promptB)
            return promptB.error();
        const qint64 pa = promptA->toLongLong();
        const qint64 pb = promptB->toLongLong();
        if (!pa || !pb)
            return makeError(QStringLiteral("no response %1").arg(!pa ? config.manualPair->first
                                                                      : config.manualPair->second));
        if (pa != pb)
            return makeError(QStringLiteral("responses %1 and %2 answer different prompts")
                                 .arg(config.manualPair->first)
                                 .arg(config.manualPair->second));
        wanted = {pa};
    }
    auto ps = db->prepare("SELECT DISTINCT b.prompt_id FROM rubrics b"
                          " JOIN criteria c ON c.version_id = b.head_version_id ORDER BY b.prompt_id");
    // The version's detail says which served step a round's pool came from (none: the whole
    // pool), so a series is continued only on the pool it started on.
    auto rounds =
        db->prepare("SELECT r.series, r.round, r.response_a, r.response_b, v.origin_detail"
                    " FROM rtd_rounds r LEFT JOIN rubric_versions v ON v.id = r.version_id"
                    " WHERE r.prompt_id = ?1 ORDER BY r.series, r.round");
    auto responses = db->prepare("SELECT id FROM responses WHERE prompt_id = ?1 AND is_empty = 0"
                                 " ORDER BY id");
    if (!ps)
        return ps.error();
    if (!rounds)
        return rounds.error();
    if (!responses)
        return responses.error();
    const std::optional<qint64> poolStep =
        scope.served ? std::optional<qint64>(scope.served->step) : std::nullopt;
    Expected<void> inner; // a failed read of a prompt's rounds or responses stops the walk
    auto walked = ps->forEach([&] {
        PromptState s;
        s.promptId = ps->columnInt(0);
        if (!wanted.isEmpty() && !wanted.contains(s.promptId))
            return true;
        if (scope.served && !scope.served->byPrompt.contains(s.promptId))
            return true; // nothing of the policy's at that step to refine on
        struct R {
            int series;
            qint64 a, b;
        };
        QList<R> done;
        rounds->reset();
        rounds->bind(1, std::int64_t(s.promptId));
        int lastSeries = 0;
        std::optional<qint64> lastStep;
        inner = rounds->forEach([&] {
            const int series = int(rounds->columnInt(0));
            done.push_back({series, rounds->columnInt(2), rounds->columnInt(3)});
            if (series != lastSeries) {
                const QJsonObject d =
                    QJsonDocument::fromJson(rounds->columnText(4).toUtf8()).object();
                const QJsonValue step = d.value(QStringLiteral("served_step"));
                lastStep = step.isDouble() ? std::optional<qint64>(step.toInteger()) : std::nullopt;
            }
            lastSeries = std::max(lastSeries, series);
        });
        if (!inner)
            return false;
        if (lastSeries == 0)
            s.series = 1;
        else
            s.series = config.restart || lastStep != poolStep ? lastSeries + 1 : lastSeries;
        QSet<qint64> used;
        for (const auto &r : done) {
            if (r.series != s.series)
                continue;
            ++s.completed;
            used << r.a << r.b;
        }
        if (scope.served) {
            for (qint64 id : scope.served->byPrompt.value(s.promptId))
                if (!used.contains(id))
                    s.pool.push_back(id);
        } else {
            responses->reset();
            responses->bind(1, std::int64_t(s.promptId));
            inner = responses->forEach([&] {
                const qint64 id = responses->columnInt(0);
                if (!used.contains(id))
                    s.pool.push_back(id);
            });
            if (!inner)
                return false;
        }
        s.target = config.selection == PairSelection::Manual ? s.completed + 1 : config.rounds;
        scope.states.push_back(std::move(s));
        return true;
    });
    if (!walked)
        return walked.error();
    if (!inner)
        return inner.error();
    if (config.selection == PairSelection::Manual && scope.states.empty())
        return makeError(scope.served ? QStringLiteral("the pair's prompt has no rubric, or no "
                                                       "response served at step %1")
                                            .arg(scope.served->step)
                                      : QStringLiteral("the pair's prompt has no rubric yet: "
                                                       "generate one first"));
    if (scope.served && scope.states.empty())
        return makeError(
            QStringLiteral("the %1 responses served at step %2 answer no prompt "
                           "with a rubric%3")
                .arg(scope.served->served)
                .arg(scope.served->step)
                .arg(wanted.isEmpty() ? QString() : QStringLiteral(" among those asked")));
    return scope;
}

Expected<RtdPool> RtdRunner::pool(const RtdConfig &config)
{
    auto scope = loadStates(config);
    if (!scope)
        return scope.error();
    return poolOf(scope.value());
}

RtdPool RtdRunner::poolOf(const Scope &scope)
{
    RtdPool out;
    for (const PromptState &s : scope.states)
        out.responses.insert(s.promptId, s.pool);
    if (scope.served) {
        out.servedStep = scope.served->step;
        out.servedResponses = scope.served->served;
        out.servedRuns = scope.served->runIds;
    }
    return out;
}

Expected<llm::CostPreview> RtdRunner::preview(const RtdConfig &config, const llm::PriceTable &prices,
                                              bool bypassCache)
{
    auto scope = loadStates(config);
    if (!scope)
        return scope.error();
    const std::vector<PromptState> *states = &scope->states;
    judge::JudgeConfig jc = config.judge;
    qint64 roundsLeft = 0;
    double poolShare = 0; // later rounds judge a smaller pool, and mostly new criteria only
    std::vector<llm::LlmRequest> rewrites;
    auto db = store::Database::open(m_store.path(), store::Database::Mode::ReadOnly);
    if (!db)
        return db.error();
    const ProposerTemplate tpl(ProposerTemplate::Kind::Rewrite, config.system, config.user);
    for (const auto &s : *states) {
        if (!s.active())
            continue;
        for (qint64 id : s.pool)
            jc.responseIds.insert(id);
        const int left = std::min<int>(s.target - s.completed, int(s.pool.size() / 2));
        roundsLeft += left;
        for (int k = 1; k < left; ++k)
            poolShare += double(s.pool.size() - 2 * k) / double(s.pool.size());
        auto head = rubric::loadHead(db.value(), s.promptId);
        if (!head)
            return head.error();
        auto prompt = textOf(db.value(), "SELECT text FROM prompts WHERE id = ?1", s.promptId);
        if (!prompt)
            return prompt.error();
        auto textA = textOf(db.value(), "SELECT text FROM responses WHERE id = ?1", s.pool[0]);
        if (!textA)
            return textA.error();
        auto textB = textOf(db.value(), "SELECT text FROM responses WHERE id = ?1", s.pool[1]);
        if (!textB)
            return textB.error();
        auto r = tpl.renderRewrite(*prompt, shown(head->criteria), *textA, *textB);
        r.maxTokens = config.providers.maxTokens;
        for (int k = 0; k < left; ++k)
            rewrites.push_back(r);
    }
    if (roundsLeft == 0)
        return llm::CostPreview{};
    judge::JudgeRunner jr(m_store, m_scheduler);
    auto judgePv = jr.preview(jc, prices, bypassCache);
    if (!judgePv)
        return judgePv.error();
    auto rewritePv = llm::previewCost(config.providers.proposer, rewrites, prices, &m_store, bypassCache);
    if (!rewritePv)
        return rewritePv.error();
    llm::CostPreview out = rewritePv.value();
    const auto &j = judgePv.value();
    const qint64 statesCount = qMax<qint64>(1, qint64(states->size()));
    const double later = poolShare / double(statesCount); // average extra judged rounds per prompt
    out.calls += j.calls + qint64(double(j.calls) * later);
    out.cached += j.cached;
    out.toSend += j.toSend + qint64(double(j.calls) * later);
    out.tokensIn += j.tokensIn + qint64(double(j.tokensIn) * later);
    out.tokensOut += j.tokensOut + qint64(double(j.tokensOut) * later);
    out.costUsd += j.costUsd * (1 + later);
    out.priced = out.priced && j.priced;
    return out;
}

Expected<qint64> RtdRunner::acceptRound(store::ProjectStore &store, const PendingRound &pending,
                                        const QList<rubric::CriterionDraft> &accepted)
{
    auto v = rubric::saveVersion(store, pending.round.promptId,
                                 rubric::VersionOrigin{QStringLiteral("rtd"), pending.detail}, accepted,
                                 pending.round.previousVersionId);
    if (!v)
        return v.error();
    RtdRound r = pending.round;
    r.versionId = v.value();
    auto w = store.writer().write([&](store::Database &db) { return insertRound(db, r); });
    if (!w)
        return w.error();
    return v.value();
}

Expected<RtdSummary> RtdRunner::run(const RtdConfig &config, const llm::JobOptions &options,
                                    const AuthoringProgressFn &progress)
{
    if (auto rec = recoverRounds(m_store); !rec)
        return rec.error();
    auto loaded = loadStates(config);
    if (!loaded)
        return loaded.error();
    RtdSummary summary;
    summary.pool = poolOf(loaded.value()); // before the states leave `loaded`
    std::vector<PromptState> states = std::move(loaded->states);
    auto db = store::Database::open(m_store.path(), store::Database::Mode::ReadOnly);
    if (!db)
        return db.error();

    summary.prompts = qint64(states.size());
    AuthoringProgress prog;
    for (const auto &s : states) {
        summary.roundsBefore += s.completed;
        if (s.active())
            prog.total += std::min<int>(s.target - s.completed, int(s.pool.size() / 2));
    }
    const ProposerTemplate tpl(ProposerTemplate::Kind::Rewrite, config.system, config.user);
    QHash<qint64, QList<KnownPreference>> known;
    if (config.consistency) {
        if (config.consistencyPairs.source == PairSource::Top2)
            return makeError(QStringLiteral("refine filters against gold or tier pairs: the top "
                                            "two are the pair a round rewrites for"));
        PairOptions po = config.consistencyPairs;
        po.promptIds.clear();
        for (const auto &s : states)
            po.promptIds.push_back(s.promptId);
        auto k = knownPreferences(db.value(), po);
        if (!k)
            return k.error();
        known = std::move(k.value());
    }
    judge::JudgeRunner judgeRunner(m_store, m_scheduler);
    llm::JobOptions judgeOptions = options;
    judgeOptions.kind = QStringLiteral("judge");
    llm::JobOptions rewriteOptions = options;
    rewriteOptions.kind = QStringLiteral("refine");
    auto fail = [&](qint64 promptId, const QString &why) {
        if (summary.failures.size() < kMaxFailuresListed)
            summary.failures << QStringLiteral("prompt %1: %2").arg(promptId).arg(why);
    };

    for (;;) {
        std::vector<PromptState *> active;
        for (auto &s : states)
            if (s.active())
                active.push_back(&s);
        if (active.empty() || summary.cancelled)
            break;

        // 1. Score every active pool under its current rubric; only missing verdicts are asked.
        judge::JudgeConfig jc = config.judge;
        jc.responseIds.clear();
        for (const PromptState *s : active)
            for (qint64 id : s->pool)
                jc.responseIds.insert(id);
        prog.stage = QStringLiteral("judge");
        auto judged = judgeRunner.run(jc, judgeOptions, judgeStage(judgeRunner, prog, progress, &m_paused));
        if (!judged)
            return judged.error();
        if (summary.judgeRunId == 0)
            summary.judgeRunId = judged->runId;
        if (judged->cancelled) {
            summary.cancelled = true;
            break;
        }
        judge::ScoreOptions so;
        so.runId = judged->runId;
        if (active.size() == 1)
            so.promptId = active.front()->promptId;
        auto scores = judge::computeScores(db.value(), so);
        if (!scores)
            return scores.error();
        QHash<qint64, judge::ResponseScore> byId;
        for (const auto &s : scores.value())
            byId.insert(s.responseId, s);

        // 2. Pick each prompt's pair and render its rewrite request.
        std::vector<PromptState *> asking;
        std::vector<PendingRound> rounds;
        std::vector<llm::LlmRequest> requests;
        for (PromptState *s : active) {
            QList<PoolEntry> pool;
            QString problem;
            for (qint64 id : s->pool) {
                const auto it = byId.constFind(id);
                if (it == byId.cend() || it->failed > 0 || it->judged < it->criteria) {
                    problem = QStringLiteral("response %1 has no complete verdicts, so the pair "
                                             "cannot be chosen; run refine again to re-ask the judge")
                                  .arg(id);
                    break;
                }
                pool.push_back({id, it->reward});
            }
            if (!problem.isEmpty()) {
                ++summary.judgeFailures;
                fail(s->promptId, problem);
                s->target = s->completed; // stops this prompt for this run
                continue;
            }
            auto pair = selectPair(pool, config.selection, config.seed, s->promptId, s->completed + 1,
                                   config.manualPair);
            if (!pair)
                return pair.error();
            auto head = rubric::loadHead(db.value(), s->promptId);
            if (!head)
                return head.error();
            PendingRound pr;
            pr.round.promptId = s->promptId;
            pr.round.series = s->series;
            pr.round.round = s->completed + 1;
            pr.round.selection = selectionName(config.selection);
            pr.round.responseA = pair->a;
            pr.round.responseB = pair->b;
            pr.round.scoreA = pair->scoreA;
            pr.round.scoreB = pair->scoreB;
            pr.round.topScore = pair->topScore;
            pr.round.tiesAtTop = pair->tiesAtTop;
            pr.round.poolSize = int(s->pool.size());
            pr.round.judgeRunId = judged->runId;
            pr.round.previousVersionId = head->versionId;
            pr.previous = head->criteria;
            auto prompt = textOf(db.value(), "SELECT text FROM prompts WHERE id = ?1", s->promptId);
            if (!prompt)
                return prompt.error();
            auto textA = textOf(db.value(), "SELECT text FROM responses WHERE id = ?1", pair->a);
            if (!textA)
                return textA.error();
            auto textB = textOf(db.value(), "SELECT text FROM responses WHERE id = ?1", pair->b);
            if (!textB)
                return textB.error();
            requests.push_back(tpl.renderRewrite(*prompt, shown(head->criteria), *textA, *textB));
            asking.push_back(s);
            rounds.push_back(std::move(pr));
        }

        // 3. All rewrites of this round in one job; parse, repair, save.
        prog.stage = QStringLiteral("rewrite");
        bool cancelled = false;
        auto proposals = proposeAll(m_scheduler, config.providers, std::move(requests), rewriteOptions,
                                    prog, progress, &m_paused, &cancelled);
        summary.cancelled = cancelled;
        // 4. With a consistency minimum, every usable rewrite with known preferences is judged
        //    on them (one judge run for the round) before it may be saved.
        QHash<qint64, RubricConsistency> filtered;
        if (config.consistency && !cancelled) {
            std::vector<ConsistencyCandidate> candidates;
            for (size_t i = 0; i < proposals.size(); ++i)
                if (proposals[i].ok && known.contains(asking[i]->promptId))
                    candidates.push_back({asking[i]->promptId,
                                          rubric::assignStableIds(rounds[i].previous, proposals[i].criteria),
                                          known.value(asking[i]->promptId)});
            ConsistencyFilter filter(m_store, m_scheduler, config.judge, *config.consistency);
            auto reports = filter.run(candidates, options, prog, progress, &m_paused, &cancelled);
            if (!reports)
                return reports.error();
            summary.cancelled = cancelled;
            for (auto &r : reports.value())
                filtered.insert(r.promptId, r);
        }
        std::vector<GenerationAttempt> attempts;
        for (size_t i = 0; i < proposals.size(); ++i) {
            const Proposal &p = proposals[i];
            PromptState *s = asking[i];
            PendingRound &pr = rounds[i];
            if (!p.answered && cancelled)
                continue;
            if (p.ok && config.consistency && cancelled && known.contains(s->promptId)
                && !filtered.contains(s->promptId))
                continue; // not filtered yet: the next run asks again (from the cache)
            GenerationAttempt a = attemptOf(p, s->promptId, QStringLiteral("rtd"), config.providers, tpl.version());
            if (!p.ok) {
                a.status = QStringLiteral("failed");
                ++summary.failed;
                fail(s->promptId, p.error);
                s->target = s->completed;
                attempts.push_back(std::move(a));
                continue;
            }
            pr.proposed = rubric::assignStableIds(pr.previous, p.criteria);
            pr.detail = pr.round.toDetail();
            pr.detail.insert(QStringLiteral("model"), config.providers.proposer.model);
            pr.detail.insert(QStringLiteral("provider"), config.providers.proposer.name);
            pr.detail.insert(QStringLiteral("template_version"), tpl.version());
            pr.detail.insert(QStringLiteral("judge_model"), config.judge.provider.model);
            pr.detail.insert(QStringLiteral("repaired"), p.repaired);
            if (summary.pool.servedStep) {
                // Which pool the series runs on: loadStates reads it to continue only this one.
                pr.detail.insert(QStringLiteral("served_step"), *summary.pool.servedStep);
                if (config.servedPool->sample > 0)
                    pr.detail.insert(QStringLiteral("served_sample"), config.servedPool->sample);
            }
            a.status = p.repaired ? QStringLiteral("repaired") : QStringLiteral("ok");
            if (const auto f = filtered.constFind(s->promptId); f != filtered.cend()) {
                summary.droppedCriteria += f->dropped();
                if (!f->kept) {
                    a.status = QStringLiteral("inconsistent");
                    a.error = f->reason;
                    ++summary.rejected;
                    fail(s->promptId, QStringLiteral("rewrite not saved: ") + f->reason);
                    s->target = s->completed;
                    attempts.push_back(std::move(a));
                    continue;
                }
                pr.proposed = f->keptCriteria;
                pr.detail.insert(QStringLiteral("consistency"), f->toDetail());
            }
            if (config.autoAccept) {
                auto v = acceptRound(m_store, pr, pr.proposed);
                if (!v)
                    return v.error();
                a.versionId = v.value();
                ++s->completed;
                ++summary.roundsDone;
                ++prog.done;
                s->pool.removeOne(pr.round.responseA);
                s->pool.removeOne(pr.round.responseB);
            } else {
                summary.pending.push_back(pr);
                s->target = s->completed; // one proposal per prompt, awaiting the user
            }
            attempts.push_back(std::move(a));
        }
        if (auto r = storeAttempts(m_store, attempts); !r)
            return r.error();
        if (progress && !summary.cancelled && !progress(prog))
            summary.cancelled = true;
    }
    for (const auto &s : states)
        summary.promptsComplete += (s.completed >= (config.selection == PairSelection::Manual ? 1 : config.rounds)
                                    || s.pool.size() < 2);
    summary.calls = prog.calls;
    summary.tokens = prog.tokens;
    summary.costUsd = prog.costUsd;
    if (progress)
        progress(prog);
    return summary;
}

} // namespace rs::authoring
