#include "currentcriteria.h"

#include "store/database.h"

#include <algorithm>

namespace rs::judge {

Expected<void> forEachCurrentCriterion(store::Database &db,
                                       const std::function<void(const CurrentCriterion &)> &visit,
                                       std::optional<qint64> promptId) {
    // Two texts rather than "?1 IS NULL OR ...": the one-prompt form must use the prompt index,
    // the verdict grid runs it on every prompt switch.
    auto cs = db.prepare(
        promptId ? "SELECT b.prompt_id, b.id, p.text, b.scoring, c.stable_id, c.text, c.weight,"
                   " coalesce(c.check_json, ''), c.veto, coalesce(v.aggregation, '')"
                   " FROM rubrics b JOIN prompts p ON p.id = b.prompt_id"
                   " JOIN criteria c ON c.version_id = b.head_version_id"
                   " JOIN rubric_versions v ON v.id = b.head_version_id"
                   " WHERE b.prompt_id = ?1"
                   " AND b.id = (SELECT min(x.id) FROM rubrics x WHERE x.prompt_id = ?1)"
                   " ORDER BY c.position"
                 : "SELECT b.prompt_id, b.id, p.text, b.scoring, c.stable_id, c.text, c.weight,"
                   " coalesce(c.check_json, ''), c.veto, coalesce(v.aggregation, '')"
                   " FROM rubrics b JOIN prompts p ON p.id = b.prompt_id"
                   " JOIN criteria c ON c.version_id = b.head_version_id"
                   " JOIN rubric_versions v ON v.id = b.head_version_id"
                   " WHERE b.id = (SELECT min(x.id) FROM rubrics x WHERE x.prompt_id = b.prompt_id)"
                   " ORDER BY b.prompt_id, c.position");
    if (!cs)
        return cs.error();
    if (promptId)
        cs->bind(1, std::int64_t(*promptId));
    // Rows come by prompt, and the prompt's text, scoring and aggregation repeat on each of its
    // criteria: converted once per prompt and shared (a prompt of a few KB and ten criteria
    // made this the judge planner's largest cost).
    CurrentCriterion c;
    c.promptId = -1;
    return cs->forEach([&] {
        if (const qint64 prompt = cs->columnInt(0); prompt != c.promptId) {
            c.promptId = prompt;
            c.rubricId = cs->columnInt(1);
            c.promptText = cs->columnText(2);
            c.scoring = cs->columnText(3);
            c.aggregation = cs->columnText(9);
        }
        c.stableId = cs->columnText(4);
        c.text = cs->columnText(5);
        c.weight = cs->columnDouble(6);
        c.checkJson = cs->columnText(7);
        c.veto = cs->columnInt(8) != 0;
        visit(c);
    });
}

Expected<RunSettings> resolveRun(store::Database &db, qint64 runId)
{
    RunSettings run;
    if (runId == 0) {
        auto latest = db.scalar("SELECT coalesce(max(id), 0) FROM judge_runs");
        if (!latest)
            return latest.error();
        runId = latest.value();
        if (runId == 0)
            return run;
    }
    auto st = db.prepare("SELECT show_weights, gradings, mode FROM judge_runs WHERE id = ?1");
    if (!st)
        return st.error();
    st->bind(1, std::int64_t(runId));
    auto row = st->step();
    if (!row)
        return row.error();
    if (!*row)
        return makeError(QStringLiteral("no judge run %1").arg(runId));
    run.id = runId;
    run.showWeights = st->columnInt(0) != 0;
    run.gradings = std::max(1, int(st->columnInt(1)));
    run.perCriterion = st->columnText(2) == QLatin1String("per_criterion");
    return run;
}

} // namespace rs::judge
