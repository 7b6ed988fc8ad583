#include "preferences.h"

#include "store/database.h"
#include "store/projectstore.h"

namespace rs::judge {

Expected<qint64> recordPreference(store::ProjectStore &store, const Preference &p)
{
    if (p.responseA == p.responseB)
        return makeError(QStringLiteral("a preference needs two different responses"));
    if (p.preference < 0 || p.preference > 1)
        return makeError(QStringLiteral("a preference must lie between 0 (A wins) and 1 (B wins)"));
    qint64 id = 0;
    auto r = store.writer().write([&](store::Database &db) -> Expected<void> {
        auto check = db.prepare("SELECT count(*) FROM responses WHERE prompt_id = ?1 AND id IN (?2, ?3)");
        if (!check)
            return check.error();
        check->bind(1, std::int64_t(p.promptId));
        check->bind(2, std::int64_t(p.responseA));
        check->bind(3, std::int64_t(p.responseB));
        auto row = check->step();
        if (!row)
            return row.error();
        if (check->columnInt(0) != 2)
            return makeError(QStringLiteral("responses %1 and %2 are not both answers to prompt %3")
                                 .arg(p.responseA)
                                 .arg(p.responseB)
                                 .arg(p.promptId));
        auto st = db.prepare("INSERT INTO preferences(prompt_id, response_a, response_b, preference,"
                             " source, detail) VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
        if (!st)
            return st.error();
        st->bind(1, std::int64_t(p.promptId));
        st->bind(2, std::int64_t(p.responseA));
        st->bind(3, std::int64_t(p.responseB));
        st->bind(4, p.preference);
        st->bind(5, p.source);
        if (p.detail.isEmpty())
            st->bindNull(6);
        else
            st->bind(6, p.detail);
        if (auto res = st->run(); !res)
            return res;
        id = db.lastInsertId();
        return {};
    });
    if (!r)
        return r.error();
    return id;
}

} // namespace rs::judge
