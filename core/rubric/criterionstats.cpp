#include "criterionstats.h"

#include "judge/verdictgrid.h"
#include "store/database.h"

#include <QHash>

#include <vector>

namespace rs::rubric {
namespace {

std::optional<bool> cellMet(judge::CellState st) {
    if (st == judge::CellState::Yes || st == judge::CellState::OverriddenYes)
        return true;
    if (st == judge::CellState::No || st == judge::CellState::OverriddenNo)
        return false;
    return std::nullopt;
}

// The prompt's gold pairs with a winner, as (preferred, rejected) rows of the grid.
Expected<std::vector<std::pair<qsizetype, qsizetype>>> decidedGoldPairs(store::Database &db,
                                                                         qint64 promptId,
                                                                         const judge::VerdictGrid &grid) {
    QHash<qint64, qsizetype> rowOf;
    for (qsizetype r = 0; r < grid.rows.size(); ++r)
        rowOf.insert(grid.rows[r].responseId, r);
    auto st = db.prepare("SELECT response_a, response_b, preference FROM preferences"
                         " WHERE prompt_id = ?1 AND preference IS NOT NULL AND preference != 0.5"
                         " ORDER BY id");
    if (!st)
        return st.error();
    st->bind(1, std::int64_t(promptId));
    std::vector<std::pair<qsizetype, qsizetype>> out;
    auto read = st->forEach([&] {
        const qsizetype a = rowOf.value(st->columnInt(0), -1);
        const qsizetype b = rowOf.value(st->columnInt(1), -1);
        if (a < 0 || b < 0)
            return;
        if (st->columnDouble(2) > 0.5)
            out.emplace_back(b, a);
        else
            out.emplace_back(a, b);
    });
    if (!read)
        return read.error();
    return out;
}

} // namespace

const CriterionStats *RubricStats::find(const QString &stableId) const {
    for (const auto &c : criteria)
        if (c.stableId == stableId)
            return &c;
    return nullptr;
}

Expected<RubricStats> criterionStats(store::Database &db, qint64 promptId, qint64 runId, int topK) {
    RubricStats out;
    if (!runId) {
        auto latest = db.scalar("SELECT coalesce(max(id), 0) FROM judge_runs");
        if (!latest)
            return latest.error();
        runId = latest.value();
    }
    out.runId = runId;
    if (!runId)
        return out;
    auto grid = judge::loadVerdictGrid(db, promptId, runId);
    if (!grid)
        return grid.error();
    out.topK = int(std::min<qsizetype>(topK, grid->rows.size()));
    auto decided = decidedGoldPairs(db, promptId, grid.value());
    if (!decided)
        return decided.error();
    for (qsizetype c = 0; c < grid->criteria.size(); ++c) {
        CriterionStats s;
        s.stableId = grid->criteria[c].stableId;
        s.text = grid->criteria[c].text;
        for (qsizetype r = 0; r < grid->rows.size(); ++r) {
            const judge::GridRow &row = grid->rows[r];
            const judge::CellState st = row.cells[c].state;
            const bool yes = st == judge::CellState::Yes || st == judge::CellState::OverriddenYes;
            const bool no = st == judge::CellState::No || st == judge::CellState::OverriddenNo;
            if (!yes && !no)
                continue;
            TierRate &t = s.byTier[row.tier];
            ++t.judged;
            ++s.overall.judged;
            if (yes) {
                ++t.yes;
                ++s.overall.yes;
            }
            if (r < out.topK) {
                ++s.topJudged;
                if (yes)
                    ++s.topYes;
            }
        }
        s.dead = s.topJudged >= 2 && (s.topYes == 0 || s.topYes == s.topJudged);
        for (const auto &[preferred, rejected] : decided.value())
            s.gold.add(classifyPair(cellMet(grid->rows[preferred].cells[c].state),
                                    cellMet(grid->rows[rejected].cells[c].state)));
        out.criteria.push_back(std::move(s));
    }
    return out;
}

} // namespace rs::rubric
