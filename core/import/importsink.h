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
/// (same prompt, generator and text) once and reports it.
class ImportSink final {
public:
    static Expected<ImportSink> create(store::Database &db, ImportResult &result);

    Expected<void> add(const RecordItems &items, const QString &file);

private:
    ImportSink(store::Database &db, ImportResult &result) : m_db(db), m_result(result) {}
    Expected<std::int64_t> promptId(const RecordItems &items);
    Expected<void> addRubric(std::int64_t promptId, const RubricItem &rubric,
                             const QString &file, std::int64_t line);
    void warn(const QString &file, std::int64_t line, const QString &message);

    store::Database &m_db;
    ImportResult &m_result;
    store::Statement m_findPrompt, m_insertPrompt, m_insertResponse;
    std::unordered_map<std::string, std::int64_t> m_promptIds;
};

} // namespace rs::import
