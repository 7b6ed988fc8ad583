#pragma once

#include "common/error.h"
#include "packtypes.h"

namespace rs::store {
class Database;
}

namespace rs::pack {

/// Reads the rubrics a pack holds from a project: each selected prompt's first rubric at the
/// chosen version (current, or the newest with a tag), criteria in their order. Prompts that
/// lack that version are listed in `skipped`. `limit` > 0 stops early (previews).
Expected<QList<PackRubric>> readPackRubrics(store::Database &db, const PackSelection &selection,
                                            QStringList *skipped = nullptr, int limit = 0);

} // namespace rs::pack
