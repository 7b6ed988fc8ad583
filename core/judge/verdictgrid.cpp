#include "verdictgrid.h"

#include "currentcriteria.h"
#include "judgetemplate.h"
#include "store/database.h"

#include <QHash>

#include <algorithm>

namespace rs::judge {

Expected<VerdictGrid> loadVerdictGrid(store::Database &db, qint64 promptId, qint64 runId,
                                      MissingPolicy missing)
{
    VerdictGrid grid;
    grid.promptId = promptId;
    grid.runId = runId;
    bool showWeights = false;
    if (runId) {
        // A run deleted since the view asked reads as unweighted, as before: the grid still shows.
        auto run = resolveRun(db, runId);
        showWeights = run && run->showWeights;
    }

    auto cs = db.prepare("SELECT b.id, b.scoring, c.stable_id, c.text, c.weight FROM rubrics b"
                         " JOIN criteria c ON c.version_id = b.head_version_id"
                         " WHERE b.prompt_id = ?1 AND b.id = (SELECT min(id) FROM rubrics WHERE prompt_id = ?1)"
                         " ORDER BY c.position");
    if (!cs)
        return cs.error();
    cs->bind(1, std::int64_t(promptId));
    QHash<qint64, int> column; // criterion hash -> column
    for (;;) {
        auto row = cs->step();
        if (!row)
            return row.error();
        if (!row.value())
            break;
        grid.rubricId = cs->columnInt(0);
        grid.scoring = cs->columnText(1);
        GridCriterion c{cs->columnText(2), cs->columnText(3), cs->columnDouble(4), 0};
        c.hash = criterionHash(c.text, c.weight, showWeights);
        column.insert(c.hash, int(grid.criteria.size()));
        grid.criteria.push_back(c);
    }

    QHash<qint64, int> rowOf;
    auto rs = db.prepare("SELECT id, generator, coalesce(tier, ''), length FROM responses"
                         " WHERE prompt_id = ?1 ORDER BY id");
    if (!rs)
        return rs.error();
    rs->bind(1, std::int64_t(promptId));
    for (;;) {
        auto row = rs->step();
        if (!row)
            return row.error();
        if (!row.value())
            break;
        GridRow r;
        r.responseId = rs->columnInt(0);
        r.generator = rs->columnText(1);
        r.tier = rs->columnText(2);
        r.length = rs->columnInt(3);
        for (qsizetype i = 0; i < grid.criteria.size(); ++i)
            r.cells.push_back(GridCell{});
        rowOf.insert(r.responseId, int(grid.rows.size()));
        grid.rows.push_back(r);
    }

    if (runId) {
        // CROSS JOIN pins the join order: the prompt's few responses first, then each one's
        // verdicts through the (run_id, response_id, ...) unique index. Left to itself the
        // planner scanned the whole run (1.2M rows on the scale project, ~200 ms per switch).
        auto vs = db.prepare("SELECT v.response_id, v.criterion_hash, v.verdict, coalesce(v.rationale, ''),"
                             " coalesce(v.call_id, 0) FROM responses r CROSS JOIN verdicts v"
                             " ON v.run_id = ?1 AND v.response_id = r.id"
                             " WHERE r.prompt_id = ?2 ORDER BY v.grading");
        if (!vs)
            return vs.error();
        vs->bind(1, std::int64_t(runId));
        vs->bind(2, std::int64_t(promptId));
        for (;;) {
            auto row = vs->step();
            if (!row)
                return row.error();
            if (!row.value())
                break;
            const auto r = rowOf.constFind(vs->columnInt(0));
            const auto c = column.constFind(vs->columnInt(1));
            if (r == rowOf.cend() || c == column.cend())
                continue; // a verdict on an older criterion text
            GridCell &cell = grid.rows[*r].cells[*c];
            const QString v = vs->columnText(2);
            if (v == QLatin1String("yes"))
                ++cell.yesVotes;
            else if (v == QLatin1String("no"))
                ++cell.noVotes;
            else
                ++cell.failedVotes;
            if (cell.rationale.isEmpty())
                cell.rationale = vs->columnText(3);
            if (!cell.callId)
                cell.callId = vs->columnInt(4);
        }
    }

    auto os = db.prepare("SELECT o.id, o.response_id, o.criterion_hash, o.verdict, coalesce(o.note, '')"
                         " FROM overrides o JOIN responses r ON r.id = o.response_id"
                         " WHERE r.prompt_id = ?1 AND o.reverted_at IS NULL ORDER BY o.id");
    if (!os)
        return os.error();
    os->bind(1, std::int64_t(promptId));
    QHash<QPair<int, int>, std::pair<qint64, bool>> live;
    for (;;) {
        auto row = os->step();
        if (!row)
            return row.error();
        if (!row.value())
            break;
        const auto r = rowOf.constFind(os->columnInt(1));
        const auto c = column.constFind(os->columnInt(2));
        if (r == rowOf.cend() || c == column.cend())
            continue;
        GridCell &cell = grid.rows[*r].cells[*c];
        cell.overrideId = os->columnInt(0);
        cell.overrideNote = os->columnText(4);
        cell.state = os->columnText(3) == QLatin1String("yes") ? CellState::OverriddenYes : CellState::OverriddenNo;
    }

    const Aggregation agg = aggregationFor(grid.scoring);
    for (GridRow &r : grid.rows) {
        std::vector<CriterionOutcome> outcomes;
        for (qsizetype i = 0; i < r.cells.size(); ++i) {
            GridCell &cell = r.cells[i];
            std::optional<bool> met;
            if (cell.state == CellState::OverriddenYes || cell.state == CellState::OverriddenNo) {
                met = cell.state == CellState::OverriddenYes;
            } else {
                met = majority(cell.yesVotes, cell.noVotes);
                if (met)
                    cell.state = *met ? CellState::Yes : CellState::No;
                else if (cell.failedVotes > 0)
                    cell.state = CellState::Failed;
                else if (cell.yesVotes + cell.noVotes > 0)
                    cell.state = CellState::No; // a tied vote scores as not met
            }
            outcomes.push_back(CriterionOutcome{grid.criteria[i].weight, met});
        }
        r.reward = reward(outcomes, agg, missing);
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
    if (!row.value())
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
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.error();
        if (!row.value())
            break;
        out.push_back(RunInfo{st->columnInt(0), st->columnText(1), st->columnText(2), st->columnInt(3)});
    }
    return out;
}

} // namespace rs::judge
