#pragma once

#include "common/error.h"
#include "importconfig.h"
#include "importitems.h"
#include "store/database.h"

#include <string>
#include <unordered_map>

namespace rs::import {

/// Writes mapped records into the project, on the writer thread, inside the import's
/// transaction. Joins responses to prompts by prompt text; stores a repeated response
/// (same prompt, generator and text) once and reports it. text_hash finds the repeat and the
/// text confirms it: two texts whose hashes collide are both kept.
class ImportSink final {
public:
    static Expected<ImportSink> create(store::Database &db, ImportResult &result);

    Expected<void> add(const RecordItems &items, const QString &file);

    /// Computes hashes, lengths and empty flags. The importer calls it on the parsing thread
    /// so the writer thread only binds; add() calls it for items that come without.
    static void fillDerived(RecordItems &items);

private:
    ImportSink(store::Database &db, ImportResult &result) : m_db(db), m_result(result) {}
    Expected<std::int64_t> promptId(const RecordItems &items);
    Expected<void> addRubric(std::int64_t promptId, const RubricItem &rubric,
                             const QString &file, std::int64_t line);
    Expected<void> addPreference(std::int64_t promptId, const RecordItems &items, const QString &file);
    /// Inserts `r` under `hash` unless that hash is taken for the prompt and generator;
    /// true when it was stored.
    Expected<bool> insertResponse(std::int64_t promptId, const ResponseItem &r,
                                  std::string_view source, std::int64_t hash);
    /// Where `r`'s text is stored (id), or the hash it would be stored under (id 0).
    struct ResponseSlot {
        std::int64_t id = 0;
        std::int64_t hash = 0;
    };
    Expected<ResponseSlot> findResponse(std::int64_t promptId, const ResponseItem &r);
    void warn(const QString &file, std::int64_t line, const QString &message);

    store::Database &m_db;
    ImportResult &m_result;
    store::Statement m_findPrompt, m_insertPrompt, m_insertResponse, m_findResponse, m_insertPreference;
    // Keyed by the prompt's content hash (computed off this thread), checked against the text.
    std::unordered_multimap<std::int64_t, std::pair<std::string, std::int64_t>> m_promptIds;
    QString m_file;
    QByteArray m_fileUtf8;
    // One timestamp per import instead of SQLite's strftime() DEFAULT evaluated per row.
    std::string m_createdAt;
};

} // namespace rs::import
