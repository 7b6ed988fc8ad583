#include "livepromptindex.h"

namespace rs::serve {

LivePromptIndex::LivePromptIndex(store::Database db, PromptIndex index, Fingerprint seen)
    : m_db(std::move(db))
    , m_index(std::move(index))
    , m_seen(seen) {}

Expected<LivePromptIndex::Fingerprint> LivePromptIndex::fingerprint(store::Database &db) {
    auto st = db.prepare("SELECT count(*), coalesce(max(id), 0) FROM prompts");
    if (!st)
        return st.error();
    auto row = st->step();
    if (!row)
        return row.error();
    return Fingerprint{st->columnInt(0), st->columnInt(1)};
}

Expected<std::unique_ptr<LivePromptIndex>> LivePromptIndex::open(const QString &projectPath) {
    auto db = store::Database::open(projectPath, store::Database::Mode::ReadOnly);
    if (!db)
        return db.error();
    // Fingerprint first: a prompt added while the index loads is then seen as a change.
    auto seen = fingerprint(db.value());
    if (!seen)
        return seen.error();
    auto index = PromptIndex::load(db.value());
    if (!index)
        return index.error();
    return std::unique_ptr<LivePromptIndex>(
        new LivePromptIndex(std::move(db.value()), std::move(index.value()), seen.value()));
}

bool LivePromptIndex::refreshIfChanged() {
    auto now = fingerprint(m_db);
    if (!now || now.value() == m_seen)
        return false;
    auto index = PromptIndex::load(m_db);
    if (!index)
        return false;
    m_index = std::move(index.value());
    m_seen = now.value();
    return true;
}

} // namespace rs::serve
