#include "scorereader.h"

#include "judgetemplate.h"
#include "store/database.h"

#include <QHash>

#include <algorithm>
#include <unordered_map>

namespace rs::judge {
namespace {

struct Counts {
    int yes = 0;
    int no = 0;
    int error = 0;
};

struct PromptRubric {
    QString scoring;
    std::vector<std::pair<qint64, double>> criteria; // hash, weight
};

std::uint64_t pairKey(qint64 response, qint64 hash)
{
    return std::uint64_t(hash) * 0x9E3779B97F4A7C15ULL ^ std::uint64_t(response);
}

} // namespace

Expected<std::vector<ResponseScore>> computeScores(store::Database &db, const ScoreOptions &options,
                                                   qint64 *runUsed)
{
    qint64 runId = options.runId;
    if (runId == 0) {
        auto latest = db.scalar("SELECT coalesce(max(id), 0) FROM judge_runs");
        if (!latest)
            return latest.error();
        runId = latest.value();
    }
    if (runUsed)
        *runUsed = runId;
    bool showWeights = false;
    if (runId != 0) {
        auto st = db.prepare("SELECT show_weights FROM judge_runs WHERE id = ?1");
        if (!st)
            return st.error();
        st->bind(1, std::int64_t(runId));
        auto row = st->step();
        if (!row)
            return row.error();
        if (!row.value())
            return makeError(QStringLiteral("no judge run %1").arg(runId));
        showWeights = st->columnInt(0) != 0;
    }

    QHash<qint64, PromptRubric> rubrics;
    auto cs = db.prepare("SELECT b.prompt_id, b.scoring, c.text, c.weight FROM rubrics b"
                         " JOIN criteria c ON c.version_id = b.head_version_id"
                         " WHERE b.id = (SELECT min(x.id) FROM rubrics x WHERE x.prompt_id = b.prompt_id)"
                         " ORDER BY b.prompt_id, c.position");
    if (!cs)
        return cs.error();
    for (;;) {
        auto row = cs->step();
        if (!row)
            return row.error();
        if (!row.value())
            break;
        PromptRubric &r = rubrics[cs->columnInt(0)];
        r.scoring = cs->columnText(1);
        const double w = cs->columnDouble(3);
        r.criteria.emplace_back(criterionHash(cs->columnText(2), w, showWeights), w);
    }

    // The latest live override per (response, criterion) wins.
    std::unordered_map<std::uint64_t, bool> overrides;
    auto os = db.prepare("SELECT response_id, criterion_hash, verdict FROM overrides"
                         " WHERE reverted_at IS NULL ORDER BY id");
    if (!os)
        return os.error();
    for (;;) {
        auto row = os->step();
        if (!row)
            return row.error();
        if (!row.value())
            break;
        overrides[pairKey(os->columnInt(0), os->columnInt(1))] = os->columnText(2) == QLatin1String("yes");
    }

    // Verdicts come ordered by response id (the order of the run's unique index, so no sort)
    // and are merged with the responses, also by id: one response's handful of verdicts is
    // tallied at a time instead of hashing all 1.2M of a large run into one map.
    const char *verdictSql = options.promptId
                                 ? "SELECT v.response_id, v.criterion_hash, v.verdict FROM responses r"
                                   " CROSS JOIN verdicts v ON v.run_id = ?1 AND v.response_id = r.id"
                                   " WHERE r.prompt_id = ?2 ORDER BY v.response_id"
                                 : "SELECT response_id, criterion_hash, verdict FROM verdicts"
                                   " WHERE run_id = ?1 ORDER BY response_id";
    auto vs = db.prepare(verdictSql);
    if (!vs)
        return vs.error();
    vs->bind(1, std::int64_t(runId));
    if (options.promptId)
        vs->bind(2, std::int64_t(*options.promptId));
    bool verdictPending = false; // vs holds a row not yet consumed
    auto advance = [&]() -> Expected<void> {
        auto row = vs->step();
        if (!row)
            return row.error();
        verdictPending = row.value();
        return {};
    };
    if (auto r = advance(); !r)
        return r.error();

    std::vector<ResponseScore> out;
    auto rs = db.prepare("SELECT id, prompt_id, generator, coalesce(tier, '') FROM responses"
                         " WHERE (?1 IS NULL OR prompt_id = ?1) ORDER BY id");
    if (!rs)
        return rs.error();
    if (options.promptId)
        rs->bind(1, std::int64_t(*options.promptId));
    else
        rs->bindNull(1);
    std::vector<CriterionOutcome> outcomes;
    std::vector<std::pair<qint64, Counts>> tally; // this response's verdicts by criterion hash
    for (;;) {
        auto row = rs->step();
        if (!row)
            return row.error();
        if (!row.value())
            break;
        const qint64 responseId = rs->columnInt(0);
        tally.clear();
        while (verdictPending && vs->columnInt(0) <= responseId) {
            if (vs->columnInt(0) == responseId) {
                const qint64 hash = vs->columnInt(1);
                auto it = std::find_if(tally.begin(), tally.end(), [hash](const auto &t) { return t.first == hash; });
                if (it == tally.end())
                    it = tally.insert(tally.end(), {hash, Counts{}});
                const std::string_view v = vs->columnUtf8(2);
                if (v == "yes")
                    ++it->second.yes;
                else if (v == "no")
                    ++it->second.no;
                else
                    ++it->second.error;
            }
            if (auto r = advance(); !r)
                return r.error();
        }
        const qint64 promptId = rs->columnInt(1);
        const auto rubric = rubrics.constFind(promptId);
        if (rubric == rubrics.cend())
            continue;
        ResponseScore s;
        s.responseId = responseId;
        s.promptId = promptId;
        s.generator = rs->columnText(2);
        s.tier = rs->columnText(3);
        s.criteria = int(rubric->criteria.size());
        outcomes.clear();
        for (const auto &[hash, weight] : rubric->criteria) {
            std::optional<bool> met;
            if (auto o = overrides.find(pairKey(s.responseId, hash)); o != overrides.end()) {
                met = o->second;
                ++s.overridden;
            } else if (auto c = std::find_if(tally.begin(), tally.end(), [h = hash](const auto &t) { return t.first == h; });
                       c != tally.end()) {
                met = majority(c->second.yes, c->second.no);
                if (!met && c->second.error > 0)
                    ++s.failed;
            }
            if (met)
                ++s.judged;
            outcomes.push_back(CriterionOutcome{weight, met});
        }
        s.reward = reward(outcomes, aggregationFor(rubric->scoring), options.missing);
        out.push_back(std::move(s));
    }
    return out;
}

} // namespace rs::judge
