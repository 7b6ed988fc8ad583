#include "criterionstats.h"

#include "judge/verdictgrid.h"
#include "store/database.h"

namespace rs::rubric {

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
        out.criteria.push_back(std::move(s));
    }
    return out;
}

} // namespace rs::rubric
