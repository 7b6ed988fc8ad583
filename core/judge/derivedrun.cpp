#include "derivedrun.h"

#include "store/database.h"
#include "store/projectstore.h"
#include "store/projectwriter.h"

namespace rs::judge {

Expected<qint64> writeDerivedRun(store::ProjectStore &store, const DerivedRun &run,
                                 const std::vector<DerivedVerdict> &verdicts) {
    qint64 runId = 0;
    auto written = store.writer().write([&](store::Database &w) -> Expected<void> {
        auto find = w.prepare("SELECT id FROM judge_runs WHERE provider = ?1 AND params = ?2");
        if (!find)
            return find.error();
        find->bind(1, run.kind);
        find->bind(2, run.params);
        auto found = find->step();
        if (!found)
            return found.error();
        if (*found) {
            runId = find->columnInt(0);
            auto del = w.prepare("DELETE FROM verdicts WHERE run_id = ?1");
            if (!del)
                return del.error();
            del->bind(1, std::int64_t(runId));
            if (auto r = del->run(); !r)
                return r;
        } else {
            auto ins = w.prepare("INSERT INTO judge_runs(name, provider, model, mode, show_weights,"
                                 " gradings, template, template_version, params, status)"
                                 " VALUES(?1, ?2, ?3, ?4, ?5, 1, ?2, ?6, ?7, 'done')");
            if (!ins)
                return ins.error();
            ins->bind(1, run.name);
            ins->bind(2, run.kind);
            ins->bind(3, run.model);
            ins->bind(4, run.mode);
            ins->bind(5, std::int64_t(run.showWeights ? 1 : 0));
            ins->bind(6, run.kind + QStringLiteral("-v1"));
            ins->bind(7, run.params);
            if (auto r = ins->run(); !r)
                return r;
            runId = w.lastInsertId();
        }
        // Two identical criteria of one rubric share a hash, and with it their verdict.
        auto v = w.prepare("INSERT OR IGNORE INTO verdicts(run_id, response_id, criterion_hash,"
                           " stable_id, grading, verdict, rationale) VALUES(?1, ?2, ?3, ?4, 0, ?5, ?6)");
        if (!v)
            return v.error();
        for (const DerivedVerdict &d : verdicts) {
            v->reset();
            v->bind(1, std::int64_t(runId));
            v->bind(2, std::int64_t(d.responseId));
            v->bind(3, std::int64_t(d.criterionHash));
            v->bind(4, d.stableId);
            v->bind(5, d.verdict);
            v->bind(6, d.rationale);
            if (auto res = v->run(); !res)
                return res;
        }
        return {};
    });
    if (!written)
        return written.error();
    return runId;
}

} // namespace rs::judge
