#include "scorereader.h"

#include "currentcriteria.h"
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

/// A response being scored: its row, and where its per-criterion tallies start in the flat
/// tally array (criteria of its prompt's rubric, in rubric order).
struct Slot {
    ResponseScore score;
    const PromptRubric *rubric = nullptr;
    std::size_t first = 0;
};

std::uint64_t pairKey(qint64 response, qint64 hash)
{
    return std::uint64_t(hash) * 0x9E3779B97F4A7C15ULL ^ std::uint64_t(response);
}

/// Each prompt's current rubric (the prompt's first rubric, at its head version).
Expected<QHash<qint64, PromptRubric>> loadRubrics(store::Database &db, bool showWeights)
{
    QHash<qint64, PromptRubric> rubrics;
    auto loaded = forEachCurrentCriterion(db, [&](const CurrentCriterion &c) {
        PromptRubric &r = rubrics[c.promptId];
        r.scoring = c.scoring;
        r.criteria.emplace_back(criterionHash(c.text, c.weight, showWeights), c.weight);
    });
    if (!loaded)
        return loaded.error();
    return rubrics;
}

/// The latest live override per (response, criterion) wins.
Expected<std::unordered_map<std::uint64_t, bool>> loadOverrides(store::Database &db)
{
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
        overrides[pairKey(os->columnInt(0), os->columnInt(1))] = os->columnUtf8(2) == "yes";
    }
    return overrides;
}

/// Finds a slot by response id. Response ids are dense in practice (one import after another),
/// so a direct-addressed table serves 1.2M lookups far faster than a hash map; a sparse id
/// range falls back to one.
class SlotIndex final {
public:
    explicit SlotIndex(const std::vector<Slot> &slots)
    {
        if (slots.empty())
            return;
        m_min = slots.front().score.responseId;
        const qint64 span = slots.back().score.responseId - m_min + 1;
        m_dense = span <= qint64(slots.size()) * 4 + 1024;
        if (m_dense)
            m_table.assign(std::size_t(span), -1);
        for (std::size_t i = 0; i < slots.size(); ++i) {
            if (m_dense)
                m_table[std::size_t(slots[i].score.responseId - m_min)] = qint64(i);
            else
                m_map.emplace(slots[i].score.responseId, qint64(i));
        }
    }
    qint64 find(qint64 responseId) const
    {
        if (m_dense) {
            const qint64 at = responseId - m_min;
            return at >= 0 && at < qint64(m_table.size()) ? m_table[std::size_t(at)] : -1;
        }
        const auto it = m_map.find(responseId);
        return it == m_map.end() ? -1 : it->second;
    }

private:
    qint64 m_min = 0;
    bool m_dense = false;
    std::vector<qint64> m_table;
    std::unordered_map<qint64, qint64> m_map;
};

/// Adds the run's verdicts to the slots' tallies in one pass over the rows.
Expected<void> tallyVerdicts(store::Database &db, qint64 runId, const ScoreOptions &options,
                             const std::vector<Slot> &slots, std::vector<Counts> &tally)
{
    auto runs = db.scalar("SELECT count(*) FROM judge_runs");
    if (!runs)
        return runs.error();
    // One prompt: its responses first, then each one's verdicts through the run's unique index.
    // The whole project with a single run: a plain table scan (`+run_id` keeps the planner off
    // the index), which reads pages in file order and is what a cold cache wants. Several runs:
    // the index confines the read to this run.
    const char *sql = options.promptId
                          ? "SELECT v.response_id, v.criterion_hash, v.verdict FROM responses r"
                            " CROSS JOIN verdicts v ON v.run_id = ?1 AND v.response_id = r.id"
                            " WHERE r.prompt_id = ?2"
                      : runs.value() <= 1
                          ? "SELECT response_id, criterion_hash, verdict FROM verdicts WHERE +run_id = ?1"
                          : "SELECT response_id, criterion_hash, verdict FROM verdicts WHERE run_id = ?1";
    auto vs = db.prepare(sql);
    if (!vs)
        return vs.error();
    vs->bind(1, std::int64_t(runId));
    if (options.promptId)
        vs->bind(2, std::int64_t(*options.promptId));
    const SlotIndex index(slots);
    for (;;) {
        auto row = vs->step();
        if (!row)
            return row.error();
        if (!row.value())
            break;
        const qint64 at = index.find(vs->columnInt(0));
        if (at < 0)
            continue; // a response without a rubric
        const Slot &slot = slots[std::size_t(at)];
        const qint64 hash = vs->columnInt(1);
        const auto &criteria = slot.rubric->criteria;
        const std::string_view v = vs->columnUtf8(2);
        // Every column with this hash: two identical criteria in one rubric share verdicts.
        for (std::size_t i = 0; i < criteria.size(); ++i) {
            if (criteria[i].first != hash)
                continue; // other criteria; a hash matching none is a verdict on older text
            Counts &counts = tally[slot.first + i];
            if (v == "yes")
                ++counts.yes;
            else if (v == "no")
                ++counts.no;
            else
                ++counts.error;
        }
    }
    return {};
}

} // namespace

Expected<std::vector<ResponseScore>> computeScores(store::Database &db, const ScoreOptions &options,
                                                   qint64 *runUsed)
{
    auto run = resolveRun(db, options.runId);
    if (!run)
        return run.error();
    const qint64 runId = run->id;
    if (runUsed)
        *runUsed = runId;

    auto rubrics = loadRubrics(db, run->showWeights);
    if (!rubrics)
        return rubrics.error();
    auto overrides = loadOverrides(db);
    if (!overrides)
        return overrides.error();

    std::vector<Slot> slots;
    std::size_t tallySize = 0;
    auto rs = db.prepare("SELECT id, prompt_id, generator, coalesce(tier, '') FROM responses"
                         " WHERE (?1 IS NULL OR prompt_id = ?1) ORDER BY id");
    if (!rs)
        return rs.error();
    if (options.promptId)
        rs->bind(1, std::int64_t(*options.promptId));
    else
        rs->bindNull(1);
    for (;;) {
        auto row = rs->step();
        if (!row)
            return row.error();
        if (!row.value())
            break;
        const auto rubric = rubrics->constFind(rs->columnInt(1));
        if (rubric == rubrics->cend())
            continue;
        Slot slot;
        slot.score.responseId = rs->columnInt(0);
        slot.score.promptId = rs->columnInt(1);
        slot.score.generator = rs->columnText(2);
        slot.score.tier = rs->columnText(3);
        slot.score.criteria = int(rubric->criteria.size());
        slot.rubric = &*rubric;
        slot.first = tallySize;
        tallySize += rubric->criteria.size();
        slots.push_back(std::move(slot));
    }

    std::vector<Counts> tally(tallySize);
    if (runId != 0)
        if (auto r = tallyVerdicts(db, runId, options, slots, tally); !r)
            return r.error();

    std::vector<ResponseScore> out;
    out.reserve(slots.size());
    std::vector<CriterionOutcome> outcomes;
    for (Slot &slot : slots) {
        ResponseScore &s = slot.score;
        outcomes.clear();
        for (std::size_t i = 0; i < slot.rubric->criteria.size(); ++i) {
            const auto &[hash, weight] = slot.rubric->criteria[i];
            const Counts &c = tally[slot.first + i];
            std::optional<bool> met;
            if (auto o = overrides->find(pairKey(s.responseId, hash)); o != overrides->end()) {
                met = o->second;
                ++s.overridden;
            } else if (c.yes + c.no + c.error > 0) {
                met = majority(c.yes, c.no);
                if (!met && c.error > 0)
                    ++s.failed;
            }
            if (met)
                ++s.judged;
            outcomes.push_back(CriterionOutcome{weight, met});
        }
        s.reward = reward(outcomes, aggregationFor(slot.rubric->scoring), options.missing);
        out.push_back(std::move(s));
    }
    return out;
}

} // namespace rs::judge
