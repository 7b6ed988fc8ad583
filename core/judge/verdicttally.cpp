#include "verdicttally.h"

#include "aggregationjson.h"
#include "holistictemplate.h"
#include "judgetemplate.h"
#include "rubric/checkcriterion.h"
#include "store/database.h"

#include <QHash>

#include <algorithm>

namespace rs::judge {
namespace {

/// Finds a response's index by id. Response ids are dense in practice (one import after
/// another), so a direct-addressed table serves 1.2M lookups far faster than a hash map; a
/// sparse id range falls back to one.
class ResponseIndex final {
public:
    explicit ResponseIndex(const std::vector<TallyResponse> &responses) {
        if (responses.empty())
            return;
        m_min = responses.front().responseId;
        const qint64 span = responses.back().responseId - m_min + 1;
        m_dense = span <= qint64(responses.size()) * 4 + 1024;
        if (m_dense)
            m_table.assign(std::size_t(span), -1);
        for (std::size_t i = 0; i < responses.size(); ++i) {
            if (m_dense)
                m_table[std::size_t(responses[i].responseId - m_min)] = qint64(i);
            else
                m_map.emplace(responses[i].responseId, qint64(i));
        }
    }
    qint64 find(qint64 responseId) const {
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

Vote voteOf(std::string_view v) {
    return v == "yes"       ? Vote::Yes
           : v == "no"      ? Vote::No
           : v == "refused" ? Vote::Refused
                            : Vote::Error;
}

/// Runs the statement once, or once per id with the id bound to parameter `at`: a tally
/// scoped to a few responses reads each one's rows through its index. `bind` binds the other
/// parameters (a reset clears them).
template <typename Bind, typename Row>
Expected<void> forEachIn(store::Statement &st, const std::vector<qint64> &ids, int at,
                         const Bind &bind, Row &&row) {
    bind();
    if (ids.empty())
        return st.forEach(row);
    for (const qint64 id : ids) {
        st.reset();
        bind();
        st.bind(at, std::int64_t(id));
        if (auto r = st.forEach(row); !r)
            return r;
    }
    return {};
}

} // namespace

Expected<VerdictTally> VerdictTally::load(store::Database &db, const TallyOptions &options) {
    VerdictTally t;
    if (options.runId >= 0) { // a negative id asks for the cells alone, with no run's votes
        auto run = resolveRun(db, options.runId);
        if (!run)
            return run.error();
        t.m_run = run.value();
    }
    t.m_gradings = t.m_run.id ? std::max(1, t.m_run.gradings) : 1;

    QHash<qint64, int> promptIndex;
    QHash<int, QList<JudgedCriterion>> guidance; // by prompt index, for the guidance hash
    auto rubrics = forEachCurrentCriterion(
        db,
        [&](const CurrentCriterion &c) {
            auto it = promptIndex.constFind(c.promptId);
            if (it == promptIndex.cend()) {
                it = promptIndex.insert(c.promptId, int(t.m_prompts.size()));
                t.m_prompts.push_back(TallyPrompt{c.promptId, c.rubricId, c.promptText, c.scoring,
                                                  aggregationFromText(c.aggregation, c.scoring),
                                                  int(t.m_criteria.size()), 0});
            }
            TallyPrompt &prompt = t.m_prompts[std::size_t(*it)];
            ++prompt.count;
            TallyCriterion tc{c.promptId,
                              c.stableId,
                              c.text,
                              c.weight,
                              criterionHash(c.text, c.weight, t.m_run.showWeights),
                              nullptr,
                              c.veto};
            // The plan's rule exactly (judgeplan.cpp), so the hash matches the stored scores'.
            tc.guidance = isGuidance(prompt.implicit(), !c.checkJson.isEmpty(), c.veto);
            if (tc.guidance)
                guidance[*it].push_back(JudgedCriterion{c.stableId, c.text, c.weight, 0, {}});
            if (!c.checkJson.isEmpty()) {
                // A stored check that no longer parses is left to the judge rather than
                // scored as a silent "no"; the import refuses such checks in the first place.
                if (auto spec = rubric::checkFromText(c.checkJson); spec) {
                    tc.check = std::make_shared<const rubric::CheckCriterion>(spec.value());
                    prompt.hasChecks = true;
                }
            }
            t.m_criteria.push_back(std::move(tc));
        },
        options.promptId);
    if (!rubrics)
        return rubrics.error();
    for (TallyPrompt &p : t.m_prompts)
        if (p.implicit())
            p.guidanceHash = guidanceHash(guidance.value(promptIndex.value(p.promptId)));

    std::vector<qint64> only = options.responseIds;
    std::sort(only.begin(), only.end());
    only.erase(std::unique(only.begin(), only.end()), only.end());
    const bool scoped = !only.empty();
    auto rs = db.prepare(
        scoped ? "SELECT id, prompt_id, generator, coalesce(tier, ''), length FROM responses"
                 " WHERE id = ?2 AND prompt_id = ?1"
        : options.promptId
            ? "SELECT id, prompt_id, generator, coalesce(tier, ''), length FROM responses"
              " WHERE prompt_id = ?1 ORDER BY id"
            : "SELECT id, prompt_id, generator, coalesce(tier, ''), length FROM responses"
              " ORDER BY id");
    if (!rs)
        return rs.error();
    const auto bindPrompt = [&](store::Statement &st, int at) {
        return [&st, at, &options] {
            if (options.promptId)
                st.bind(at, std::int64_t(*options.promptId));
        };
    };
    std::size_t cells = 0;
    auto listed = forEachIn(*rs, only, 2, bindPrompt(*rs, 1), [&] {
        TallyResponse r;
        r.promptId = rs->columnInt(1);
        const auto p = promptIndex.constFind(r.promptId);
        if (p == promptIndex.cend() && !options.responsesWithoutRubric)
            return;
        r.responseId = rs->columnInt(0);
        r.generator = rs->columnText(2);
        r.tier = rs->columnText(3);
        r.length = rs->columnInt(4);
        r.firstCell = cells;
        if (p != promptIndex.cend()) {
            r.prompt = *p;
            cells += std::size_t(t.m_prompts[std::size_t(*p)].count);
            if (t.m_prompts[std::size_t(*p)].implicit()) {
                r.holistic = int(t.m_holistic.size());
                t.m_holistic.emplace_back();
            }
        }
        t.m_responses.push_back(std::move(r));
    });
    if (!listed)
        return listed.error();
    t.m_counts.assign(cells, VoteCounts{});
    if (options.gradingVotes)
        t.m_gradingVotes.assign(cells * std::size_t(t.m_gradings), Vote::Missing);
    if (options.voteDetails)
        t.m_details.assign(cells, {});
    if (auto checked = t.evaluateChecks(db, options); !checked)
        return checked.error();
    if (auto scores = t.readHolisticScores(db, options); !scores)
        return scores.error();

    const ResponseIndex index(t.m_responses);
    // Every cell of the response whose criterion carries `hash`: two identical criteria in
    // one rubric share their votes and their override. A hash matching none is a verdict on
    // an older text of the criterion.
    const auto forCells = [&](qint64 responseId, std::int64_t hash, const auto &visit) {
        const qint64 at = index.find(responseId);
        if (at < 0)
            return;
        const TallyResponse &r = t.m_responses[std::size_t(at)];
        if (r.prompt < 0)
            return;
        const TallyPrompt &p = t.m_prompts[std::size_t(r.prompt)];
        for (int k = 0; k < p.count; ++k)
            if (t.m_criteria[std::size_t(p.first) + std::size_t(k)].hash == hash)
                visit(r.firstCell + std::size_t(k));
    };

    if (t.m_run.id != 0) {
        auto runs = db.scalar("SELECT count(*) FROM judge_runs");
        if (!runs)
            return runs.error();
        // One prompt: its responses first, then each one's verdicts through the run's unique
        // index (CROSS JOIN pins that order; left alone the planner scanned the whole run).
        // The whole project with a single run: a plain table scan (`+run_id` keeps the planner
        // off the index), which reads pages in file order, as a cold cache wants. Several
        // runs: the index confines the read to this run.
        const bool details = options.voteDetails;
        std::string sql =
            details ? "SELECT v.response_id, v.criterion_hash, v.grading, v.verdict,"
                      " coalesce(v.call_id, 0), coalesce(v.rationale, ''), v.p_yes"
                    : "SELECT v.response_id, v.criterion_hash, v.grading, v.verdict, v.p_yes";
        const int pColumn = details ? 6 : 4;
        sql += scoped ? " FROM verdicts v WHERE v.run_id = ?1 AND v.response_id = ?2"
               : options.promptId
                   ? " FROM responses r CROSS JOIN verdicts v"
                     " ON v.run_id = ?1 AND v.response_id = r.id WHERE r.prompt_id = ?2"
               : runs.value() <= 1 ? " FROM verdicts v WHERE +v.run_id = ?1"
                                   : " FROM verdicts v WHERE v.run_id = ?1";
        auto vs = db.prepare(sql);
        if (!vs)
            return vs.error();
        const auto bindRun = [&] {
            vs->bind(1, std::int64_t(t.m_run.id));
            if (options.promptId && !scoped)
                vs->bind(2, std::int64_t(*options.promptId));
        };
        const std::size_t G = std::size_t(t.m_gradings);
        auto read = forEachIn(*vs, only, 2, bindRun, [&] {
            const Vote vote = voteOf(vs->columnUtf8(3));
            const qint64 grading = vs->columnInt(2);
            const bool hasP = !vs->columnIsNull(pColumn) && (vote == Vote::Yes || vote == Vote::No);
            const double p = hasP ? vs->columnDouble(pColumn) : 0.0;
            forCells(vs->columnInt(0), vs->columnInt(1), [&](std::size_t cell) {
                VoteCounts &c = t.m_counts[cell];
                (vote == Vote::Yes       ? c.yes
                 : vote == Vote::No      ? c.no
                 : vote == Vote::Refused ? c.refused
                                         : c.error) += 1;
                if (hasP) {
                    ++c.pCount;
                    c.pSum += p;
                }
                if (options.gradingVotes && grading >= 0 && std::size_t(grading) < G)
                    t.m_gradingVotes[cell * G + std::size_t(grading)] = vote;
                if (details)
                    t.m_details[cell].push_back(
                        VoteDetail{int(grading), vote, vs->columnInt(4), vs->columnText(5)});
            });
        });
        if (!read)
            return read.error();
        if (details)
            for (auto &votes : t.m_details)
                std::stable_sort(
                    votes.begin(), votes.end(),
                    [](const VoteDetail &a, const VoteDetail &b) { return a.grading < b.grading; });
    }

    // Overrides belong to the response and criterion text, not to a run; the latest live one
    // per cell wins.
    auto os = db.prepare(
        scoped ? "SELECT id, response_id, criterion_hash, verdict, coalesce(note, '')"
                 " FROM overrides WHERE response_id = ?1 AND reverted_at IS NULL ORDER BY id"
        : options.promptId
            ? "SELECT o.id, o.response_id, o.criterion_hash, o.verdict, coalesce(o.note, '')"
              " FROM overrides o JOIN responses r ON r.id = o.response_id"
              " WHERE r.prompt_id = ?1 AND o.reverted_at IS NULL ORDER BY o.id"
            : "SELECT id, response_id, criterion_hash, verdict, coalesce(note, '')"
              " FROM overrides WHERE reverted_at IS NULL ORDER BY id");
    if (!os)
        return os.error();
    const auto bindOverrides = [&] {
        if (options.promptId && !scoped)
            os->bind(1, std::int64_t(*options.promptId));
    };
    auto overrides = forEachIn(*os, only, 1, bindOverrides, [&] {
        const CellOverride o{os->columnInt(0), os->columnUtf8(3) == "yes", os->columnText(4)};
        forCells(os->columnInt(1), os->columnInt(2),
                 [&](std::size_t cell) { t.m_overrides[cell] = o; });
    });
    if (!overrides)
        return overrides.error();
    return t;
}

Expected<void> VerdictTally::evaluateChecks(store::Database &db, const TallyOptions &options) {
    std::unordered_map<qint64, std::vector<std::size_t>> byPrompt; // responses of checked prompts
    for (std::size_t i = 0; i < m_responses.size(); ++i)
        if (const TallyPrompt *p = promptOf(m_responses[i]); p && p->hasChecks)
            byPrompt[p->promptId].push_back(i);
    if (byPrompt.empty())
        return {};
    m_checkResults.assign(m_counts.size(), -1);
    // Only the texts of prompts with checks are read: most rubrics have none, and a project's
    // texts are most of its bytes.
    // A tally scoped to a few responses reads just their texts.
    const bool scoped = !options.responseIds.empty();
    auto st =
        db.prepare(scoped ? "SELECT id, text FROM responses WHERE prompt_id = ?1 AND id = ?2"
                          : "SELECT id, text FROM responses WHERE prompt_id = ?1 ORDER BY id");
    if (!st)
        return st.error();
    for (const auto &entry : byPrompt) {
        const qint64 promptId = entry.first; // a named copy: lambdas cannot capture bindings
        std::unordered_map<qint64, std::size_t> at;
        std::vector<qint64> ids;
        for (const std::size_t i : entry.second) {
            at.emplace(m_responses[i].responseId, i);
            if (scoped)
                ids.push_back(m_responses[i].responseId);
        }
        st->reset();
        auto read = forEachIn(
            *st, ids, 2, [&] { st->bind(1, std::int64_t(promptId)); },
            [&] {
                const auto it = at.find(st->columnInt(0));
                if (it == at.end())
                    return;
                const TallyResponse &r = m_responses[it->second];
                const QString text = st->columnText(1);
                const TallyPrompt &p = *promptOf(r);
                for (int k = 0; k < p.count; ++k)
                    if (const auto &check = criterion(r, k).check)
                        m_checkResults[r.firstCell + std::size_t(k)] = check->passes(text) ? 1 : 0;
            });
        if (!read)
            return read.error();
    }
    return {};
}

Expected<void> VerdictTally::readHolisticScores(store::Database &db, const TallyOptions &options) {
    if (m_holistic.empty() || m_run.id == 0)
        return {};
    // The run's unique index (run, response, guidance, grading) serves both forms; one
    // prompt reads through its responses, as the verdicts do.
    const bool scoped = !options.responseIds.empty();
    auto st = db.prepare(
        scoped ? "SELECT response_id, guidance_hash, grading, status, coalesce(score, 0),"
                 " coalesce(call_id, 0), coalesce(rationale, '')"
                 " FROM holistic_scores WHERE run_id = ?1 AND response_id = ?2"
        : options.promptId
            ? "SELECT h.response_id, h.guidance_hash, h.grading, h.status, coalesce(h.score, 0),"
              " coalesce(h.call_id, 0), coalesce(h.rationale, '')"
              " FROM responses r CROSS JOIN holistic_scores h"
              " ON h.run_id = ?1 AND h.response_id = r.id WHERE r.prompt_id = ?2"
            : "SELECT response_id, guidance_hash, grading, status, coalesce(score, 0),"
              " coalesce(call_id, 0), coalesce(rationale, '')"
              " FROM holistic_scores WHERE run_id = ?1");
    if (!st)
        return st.error();
    const auto bindRun = [&] {
        st->bind(1, std::int64_t(m_run.id));
        if (options.promptId && !scoped)
            st->bind(2, std::int64_t(*options.promptId));
    };
    const ResponseIndex index(m_responses);
    auto read = forEachIn(*st, options.responseIds, 2, bindRun, [&] {
        const qint64 at = index.find(st->columnInt(0));
        if (at < 0)
            return;
        const TallyResponse &r = m_responses[std::size_t(at)];
        // A score under another guidance hash was given to an older text of the rubric.
        if (r.holistic < 0 || promptOf(r)->guidanceHash != st->columnInt(1))
            return;
        const std::string_view status = st->columnUtf8(3);
        HolisticVote v;
        v.grading = int(st->columnInt(2));
        v.score = status == "ok" ? int(st->columnInt(4)) : 0;
        v.refused = status == "refused";
        v.callId = st->columnInt(5);
        if (options.voteDetails)
            v.rationale = st->columnText(6);
        m_holistic[std::size_t(r.holistic)].push_back(std::move(v));
    });
    if (!read)
        return read.error();
    for (auto &votes : m_holistic)
        std::sort(votes.begin(), votes.end(), [](const HolisticVote &a, const HolisticVote &b) {
            return a.grading < b.grading;
        });
    return {};
}

const std::vector<HolisticVote> &VerdictTally::holistic(const TallyResponse &r) const {
    static const std::vector<HolisticVote> none;
    return r.holistic >= 0 && std::size_t(r.holistic) < m_holistic.size()
               ? m_holistic[std::size_t(r.holistic)]
               : none;
}

std::vector<int> VerdictTally::holisticScores(const TallyResponse &r) const {
    std::vector<int> scores;
    for (const HolisticVote &v : holistic(r))
        if (v.score > 0 && v.grading >= 0 && v.grading < m_gradings)
            scores.push_back(v.score);
    return scores;
}

std::optional<double> VerdictTally::holisticScore(const TallyResponse &r) const {
    const std::vector<int> scores = holisticScores(r);
    if (scores.empty())
        return std::nullopt;
    double sum = 0;
    for (const int s : scores)
        sum += s;
    return sum / double(scores.size());
}

Vote VerdictTally::gradingVote(std::size_t cell, int grading) const {
    const std::size_t at = cell * std::size_t(m_gradings) + std::size_t(grading);
    return grading >= 0 && grading < m_gradings && at < m_gradingVotes.size() ? m_gradingVotes[at]
                                                                              : Vote::Missing;
}

const std::vector<VoteDetail> &VerdictTally::details(std::size_t cell) const {
    static const std::vector<VoteDetail> none;
    return cell < m_details.size() ? m_details[cell] : none;
}

const CellOverride *VerdictTally::override(std::size_t cell) const {
    if (m_overrides.empty())
        return nullptr;
    const auto it = m_overrides.find(cell);
    return it == m_overrides.end() ? nullptr : &it->second;
}

std::vector<CriterionOutcome> VerdictTally::outcomes(const TallyResponse &r, bool withP) const {
    const TallyPrompt *p = promptOf(r);
    std::vector<CriterionOutcome> out;
    out.reserve(std::size_t(p->count));
    for (int k = 0; k < p->count; ++k) {
        const std::size_t cell = r.firstCell + std::size_t(k);
        out.push_back(CriterionOutcome{criterion(r, k).weight, verdict(cell), criterion(r, k).veto,
                                       withP ? pYes(cell) : std::nullopt});
    }
    return out;
}

bool VerdictTally::complete(const TallyResponse &r) const {
    const TallyPrompt *p = promptOf(r);
    if (!p)
        return false;
    for (int k = 0; k < p->count; ++k) {
        const std::size_t cell = r.firstCell + std::size_t(k);
        if (criterion(r, k).guidance || isCheck(cell))
            continue;
        const VoteCounts &c = counts(cell);
        if (!override(cell) && c.yes + c.no < m_gradings)
            return false;
    }
    if (p->implicit()) {
        int answered = 0;
        for (const HolisticVote &v : holistic(r))
            answered += v.score > 0 || v.refused;
        return answered >= m_gradings;
    }
    return true;
}

double VerdictTally::reward(const TallyResponse &r, MissingPolicy missing) const {
    const TallyPrompt *p = promptOf(r);
    return p ? reward(r, p->aggregation, missing) : 0;
}

double VerdictTally::reward(const TallyResponse &r, const AggregationSpec &aggregation,
                            MissingPolicy missing) const {
    const TallyPrompt *p = promptOf(r);
    if (!p)
        return 0;
    if (aggregation.type == Aggregation::Implicit)
        return holisticReward(holisticScores(r), outcomes(r, false), aggregation, missing);
    return judge::reward(outcomes(r, false), aggregation, missing);
}

std::optional<double> VerdictTally::judgePYes(std::size_t cell) const {
    if (isCheck(cell)) // a check is certain
        return m_checkResults[cell] == 1 ? 1.0 : 0.0;
    const VoteCounts &c = m_counts[cell];
    if (c.pCount > 0)
        return c.pSum / c.pCount;
    if (c.yes + c.no > 0)
        return double(c.yes) / double(c.yes + c.no);
    return std::nullopt;
}

double VerdictTally::softReward(const TallyResponse &r, MissingPolicy missing) const {
    const TallyPrompt *p = promptOf(r);
    return p ? softReward(r, p->aggregation, missing) : 0;
}

double VerdictTally::softReward(const TallyResponse &r, const AggregationSpec &aggregation,
                                MissingPolicy missing) const {
    const TallyPrompt *p = promptOf(r);
    if (!p)
        return 0;
    if (aggregation.type == Aggregation::Implicit)
        return reward(r, aggregation, missing); // a score has no token probabilities
    return judge::softReward(outcomes(r, true), aggregation, missing);
}

double VerdictTally::gradingReward(const TallyResponse &r, int grading,
                                   MissingPolicy missing) const {
    const TallyPrompt *p = promptOf(r);
    return p ? gradingReward(r, grading, p->aggregation, missing) : 0;
}

double VerdictTally::gradingReward(const TallyResponse &r, int grading,
                                   const AggregationSpec &aggregation,
                                   MissingPolicy missing) const {
    const TallyPrompt *p = promptOf(r);
    if (!p)
        return 0;
    std::vector<CriterionOutcome> outcomes;
    outcomes.reserve(std::size_t(p->count));
    for (int k = 0; k < p->count; ++k) {
        const std::size_t cell = r.firstCell + std::size_t(k);
        std::optional<bool> met;
        if (const CellOverride *o = override(cell))
            met = o->met;
        else if (isCheck(cell))
            met = judgeVerdict(cell);
        else if (const Vote v = gradingVote(cell, grading); v == Vote::Yes || v == Vote::No)
            met = v == Vote::Yes;
        outcomes.push_back(CriterionOutcome{criterion(r, k).weight, met, criterion(r, k).veto});
    }
    if (aggregation.type == Aggregation::Implicit) {
        std::vector<int> scores;
        for (const HolisticVote &v : holistic(r))
            if (v.grading == grading && v.score > 0)
                scores.push_back(v.score);
        return holisticReward(scores, outcomes, aggregation, missing);
    }
    return judge::reward(outcomes, aggregation, missing);
}

} // namespace rs::judge
