#include "verdictgrid.h"

#include "store/database.h"
#include "verdicttally.h"

#include <algorithm>

namespace rs::judge {

Expected<VerdictGrid> loadVerdictGrid(store::Database &db, qint64 promptId, qint64 runId,
                                      MissingPolicy missing)
{
    VerdictGrid grid;
    grid.promptId = promptId;
    grid.runId = runId;
    TallyOptions options;
    options.promptId = promptId;
    options.voteDetails = true;
    options.responsesWithoutRubric = true; // a prompt without a rubric still lists its responses
    // No run asked for, or one deleted since the view asked: the grid still shows, unjudged.
    options.runId = runId && resolveRun(db, runId) ? runId : -1;
    auto tally = VerdictTally::load(db, options);
    if (!tally)
        return tally.error();
    const VerdictTally &t = tally.value();
    if (!t.prompts().empty()) {
        const TallyPrompt &p = t.prompts().front();
        grid.rubricId = p.rubricId;
        grid.scoring = p.scoring;
        grid.implicit = p.implicit();
        for (int k = 0; k < p.count; ++k) {
            const TallyCriterion &c = t.criteria()[std::size_t(p.first) + std::size_t(k)];
            grid.criteria.push_back(
                GridCriterion{c.stableId, c.text, c.weight, c.hash, c.guidance});
        }
    }
    for (const TallyResponse &tr : t.responses()) {
        GridRow r;
        r.responseId = tr.responseId;
        r.generator = tr.generator;
        r.tier = tr.tier;
        r.length = tr.length;
        for (qsizetype k = 0; k < grid.criteria.size(); ++k) {
            const std::size_t cell = tr.firstCell + std::size_t(k);
            GridCell c;
            const VoteCounts &votes = t.counts(cell);
            c.yesVotes = votes.yes;
            c.noVotes = votes.no;
            c.failedVotes = votes.error;
            c.refusedVotes = votes.refused;
            c.pYes = t.judgePYes(cell).value_or(-1.0);
            c.pYesVotes = votes.pCount;
            for (const VoteDetail &d : t.details(cell)) {
                if (c.rationale.isEmpty())
                    c.rationale = d.rationale;
                if (!c.callId)
                    c.callId = d.callId;
            }
            if (const CellOverride *o = t.override(cell)) {
                c.overrideId = o->id;
                c.overrideNote = o->note;
                c.state = o->met ? CellState::OverriddenYes : CellState::OverriddenNo;
            } else if (const auto met = t.judgeVerdict(cell)) {
                c.state = *met ? CellState::Yes : CellState::No;
            } else if (votes.error > 0) {
                c.state = CellState::Failed;
            } else if (votes.refused > 0 && votes.yes + votes.no == 0) {
                c.state = CellState::Refused;
            } else if (votes.yes + votes.no > 0) {
                c.state = CellState::No; // a tied vote scores as not met
            }
            r.cells.push_back(c);
        }
        r.holisticScore = t.holisticScore(tr).value_or(-1.0);
        r.holisticScores = int(t.holisticScores(tr).size());
        if (const auto &votes = t.holistic(tr); !votes.empty()) {
            r.holisticRationale = votes.front().rationale;
            r.holisticCallId = votes.front().callId;
        }
        r.reward = t.reward(tr, missing);
        r.rewardSoft = t.softReward(tr, missing);
        grid.rows.push_back(r);
    }

    std::stable_sort(grid.rows.begin(), grid.rows.end(),
                     [](const GridRow &a, const GridRow &b) { return a.reward > b.reward; });
    for (qsizetype i = 0; i < grid.rows.size(); ++i) {
        GridRow &r = grid.rows[i];
        r.rank = (i > 0 && grid.rows[i - 1].reward == r.reward) ? grid.rows[i - 1].rank : int(i + 1);
    }
    if (grid.rows.size() > 1 && grid.rows[0].reward == grid.rows[1].reward)
        for (GridRow &r : grid.rows)
            r.tiedAtTop = r.reward == grid.rows[0].reward;
    return grid;
}

Expected<CallDetail> loadCall(store::Database &db, qint64 callId)
{
    auto st = db.prepare("SELECT coalesce(raw, ''), coalesce(error, ''), attempts, cached, tokens_in,"
                         " tokens_out, cost_usd, temperature FROM judge_calls WHERE id = ?1");
    if (!st)
        return st.error();
    st->bind(1, std::int64_t(callId));
    auto row = st->step();
    if (!row)
        return row.error();
    if (!*row)
        return makeError(QStringLiteral("no judge call %1").arg(callId));
    return CallDetail{st->columnText(0), st->columnText(1), int(st->columnInt(2)), st->columnInt(3) != 0,
                      st->columnInt(4), st->columnInt(5), st->columnDouble(6), st->columnDouble(7)};
}

Expected<QList<RunInfo>> listRuns(store::Database &db)
{
    auto st = db.prepare("SELECT j.id, j.name, j.status, (SELECT count(*) FROM verdicts v WHERE v.run_id = j.id)"
                         " FROM judge_runs j ORDER BY j.id DESC");
    if (!st)
        return st.error();
    QList<RunInfo> out;
    auto read = st->forEach([&] {
        out.push_back(RunInfo{st->columnInt(0), st->columnText(1), st->columnText(2), st->columnInt(3)});
    });
    if (!read)
        return read.error();
    return out;
}

} // namespace rs::judge
