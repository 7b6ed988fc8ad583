#include "overrides.h"

#include "store/database.h"
#include "store/projectstore.h"

namespace rs::judge {
namespace {

QString loginName()
{
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty())
        user = qEnvironmentVariable("USERNAME");
    return user.isEmpty() ? QStringLiteral("unknown") : user;
}

Expected<void> setReverted(store::ProjectStore &store, qint64 id, bool reverted)
{
    return store.writer().write([id, reverted](store::Database &db) -> Expected<void> {
        auto st = db.prepare(reverted ? "UPDATE overrides SET reverted_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')"
                                        " WHERE id = ?1 AND reverted_at IS NULL"
                                      : "UPDATE overrides SET reverted_at = NULL WHERE id = ?1");
        if (!st)
            return st.error();
        st->bind(1, std::int64_t(id));
        return st->run();
    });
}

} // namespace

Expected<qint64> setOverride(store::ProjectStore &store, const OverrideRequest &r)
{
    qint64 id = 0;
    auto result = store.writer().write([&](store::Database &db) -> Expected<void> {
        // A new override supersedes the live one on the same cell.
        auto old = db.prepare("UPDATE overrides SET reverted_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')"
                              " WHERE response_id = ?1 AND criterion_hash = ?2 AND reverted_at IS NULL");
        if (!old)
            return old.error();
        old->bind(1, std::int64_t(r.responseId));
        old->bind(2, std::int64_t(r.criterionHash));
        if (auto res = old->run(); !res)
            return res;
        auto st = db.prepare("INSERT INTO overrides(response_id, rubric_id, stable_id, criterion_hash,"
                             " verdict, note, author) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        if (!st)
            return st.error();
        st->bind(1, std::int64_t(r.responseId));
        st->bind(2, std::int64_t(r.rubricId));
        st->bind(3, r.stableId);
        st->bind(4, std::int64_t(r.criterionHash));
        st->bind(5, r.met ? QStringLiteral("yes") : QStringLiteral("no"));
        st->bind(6, r.note);
        st->bind(7, r.author.isEmpty() ? loginName() : r.author);
        if (auto res = st->run(); !res)
            return res;
        id = db.lastInsertId();
        return {};
    });
    if (!result)
        return result.error();
    return id;
}

Expected<void> revertOverride(store::ProjectStore &store, qint64 overrideId)
{
    return setReverted(store, overrideId, true);
}

Expected<void> restoreOverride(store::ProjectStore &store, qint64 overrideId)
{
    return setReverted(store, overrideId, false);
}

} // namespace rs::judge
