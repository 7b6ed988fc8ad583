#include "generationattempts.h"

#include "store/database.h"
#include "store/projectstore.h"

namespace rs::authoring {
namespace {

void bindText(store::Statement &st, int i, const QString &s)
{
    if (s.isEmpty())
        st.bindNull(i);
    else
        st.bind(i, s);
}

} // namespace

Expected<void> storeAttempts(store::ProjectStore &store, const std::vector<GenerationAttempt> &attempts)
{
    if (attempts.empty())
        return {};
    return store.writer().write([&](store::Database &db) -> Expected<void> {
        auto st = db.prepare("INSERT INTO generation_attempts(prompt_id, kind, status, model,"
                             " template_version, raw, repair_model, repair_raw, error, version_id,"
                             " tokens_in, tokens_out, cost_usd)"
                             " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
        if (!st)
            return st.error();
        for (const auto &a : attempts) {
            st->reset();
            st->bind(1, std::int64_t(a.promptId));
            st->bind(2, a.kind);
            st->bind(3, a.status);
            st->bind(4, a.model);
            st->bind(5, a.templateVersion);
            bindText(*st, 6, a.raw);
            bindText(*st, 7, a.repairModel);
            bindText(*st, 8, a.repairRaw);
            bindText(*st, 9, a.error);
            if (a.versionId)
                st->bind(10, std::int64_t(a.versionId));
            else
                st->bindNull(10);
            st->bind(11, std::int64_t(a.tokensIn));
            st->bind(12, std::int64_t(a.tokensOut));
            st->bind(13, a.costUsd);
            if (auto r = st->run(); !r)
                return r;
        }
        return {};
    });
}

Expected<QList<GenerationAttempt>> listAttempts(store::Database &db, qint64 promptId)
{
    auto st = db.prepare("SELECT id, prompt_id, kind, status, model, template_version,"
                         " coalesce(raw, ''), coalesce(repair_model, ''), coalesce(repair_raw, ''),"
                         " coalesce(error, ''), coalesce(version_id, 0), tokens_in, tokens_out,"
                         " cost_usd, created_at FROM generation_attempts WHERE prompt_id = ?1"
                         " ORDER BY id DESC");
    if (!st)
        return st.error();
    st->bind(1, std::int64_t(promptId));
    QList<GenerationAttempt> out;
    auto walked = st->forEach([&] {
        GenerationAttempt a;
        a.id = st->columnInt(0);
        a.promptId = st->columnInt(1);
        a.kind = st->columnText(2);
        a.status = st->columnText(3);
        a.model = st->columnText(4);
        a.templateVersion = st->columnText(5);
        a.raw = st->columnText(6);
        a.repairModel = st->columnText(7);
        a.repairRaw = st->columnText(8);
        a.error = st->columnText(9);
        a.versionId = st->columnInt(10);
        a.tokensIn = st->columnInt(11);
        a.tokensOut = st->columnInt(12);
        a.costUsd = st->columnDouble(13);
        a.createdAt = st->columnText(14);
        out.push_back(a);
    });
    if (!walked)
        return walked.error();
    return out;
}

Expected<QList<qint64>> promptsWithFailedGeneration(store::Database &db)
{
    auto st = db.prepare("SELECT g.prompt_id FROM generation_attempts g"
                         " WHERE g.kind = 'generation' AND g.status = 'failed'"
                         " AND g.id = (SELECT max(x.id) FROM generation_attempts x"
                         "             WHERE x.prompt_id = g.prompt_id AND x.kind = 'generation')"
                         " ORDER BY g.prompt_id");
    if (!st)
        return st.error();
    QList<qint64> out;
    auto walked = st->forEach([&] { out.push_back(st->columnInt(0)); });
    if (!walked)
        return walked.error();
    return out;
}

} // namespace rs::authoring
