#pragma once

#include "common/error.h"
#include "database.h"
#include "domain/records.h"

#include <QList>
#include <optional>

namespace rs::store {

/// Read-only queries over a project, on a connection of its own. Use one reader per thread.
class ProjectReader final {
public:
    static Expected<ProjectReader> open(const QString &path);

    Expected<ProjectStats> stats();
    /// Prompts whose text contains `filter` (case-insensitive; empty = all), by id, one page.
    Expected<QList<PromptSummary>> prompts(const QString &filter, qint64 offset, qint64 limit);
    Expected<qint64> promptCount(const QString &filter);
    Expected<QString> promptText(qint64 promptId);
    Expected<QList<ResponseRecord>> responses(qint64 promptId);
    /// The prompt's first rubric at its current version; nullopt when it has none.
    Expected<std::optional<RubricRecord>> rubric(qint64 promptId);
    Expected<QStringList> generators();

private:
    explicit ProjectReader(Database db) : m_db(std::move(db)) {}
    Database m_db;
};

} // namespace rs::store
