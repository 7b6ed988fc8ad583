#pragma once

#include "common/error.h"

#include <QString>

#include <optional>
#include <string_view>

namespace rs::store {

class Database;

/// The project's key/value notes (the `meta` table): small facts about the file itself that
/// belong to no prompt or run, such as which studio content version built a demo project.

/// The value stored under `key`, or nullopt when there is none.
Expected<std::optional<QString>> readMeta(Database &db, std::string_view key);
/// Stores `value` under `key`, replacing an older value (call it inside a writer job).
Expected<void> writeMeta(Database &db, std::string_view key, const QString &value);

} // namespace rs::store
