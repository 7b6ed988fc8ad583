#include "projectmeta.h"

#include "database.h"

namespace rs::store {

Expected<std::optional<QString>> readMeta(Database &db, std::string_view key)
{
    auto st = db.prepare("SELECT value FROM meta WHERE key = ?1");
    if (!st)
        return st.error();
    st->bind(1, key);
    std::optional<QString> value;
    auto read = st->forEach([&] { value = st->columnText(0); });
    if (!read)
        return read.error();
    return value;
}

Expected<void> writeMeta(Database &db, std::string_view key, const QString &value)
{
    auto st = db.prepare("INSERT INTO meta(key, value) VALUES(?1, ?2)"
                         " ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    if (!st)
        return st.error();
    st->bind(1, key);
    st->bind(2, value);
    return st->run();
}

} // namespace rs::store
