#pragma once

#include "common/error.h"

namespace rs::store {

class Database;

/// The project file's schema. PRAGMA user_version holds the version; application_id marks the
/// file as ours so that opening some other SQLite file gives a clear message.
namespace schema {

// 4 batch jobs, 5 training curves, 6 authoring, 7 real judges, 8 rubric design, 9 served
// rewards, 10 blind labels, 11 contrastive attempts, 12 holistic scores
inline constexpr int kCurrentVersion = 12;
inline constexpr int kApplicationId = 0x52554253; // "RUBS"

/// Creates a new project schema at kCurrentVersion. A new file is built by running every
/// migration from version 0, so the migration path is exercised on every project we create.
Expected<void> create(Database &db);

/// Reads the version and migrates an older project in place, inside one transaction.
/// A project from a newer studio is refused rather than guessed at.
Expected<void> migrate(Database &db);

Expected<int> version(Database &db);

/// The schema as it was at `version`, for tests that build old fixtures (0 < version <= current).
Expected<void> createAtVersion(Database &db, int version);

} // namespace schema
} // namespace rs::store
