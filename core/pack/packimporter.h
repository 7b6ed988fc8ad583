#pragma once

#include "common/error.h"
#include "packtypes.h"

#include <functional>

namespace rs::store {
class ProjectStore;
}

namespace rs::pack {

/// Imports a rubric pack: a pack folder (its manifest names the format) or a single JSONL/JSON
/// file in any pack format (detected from its first record). Each rubric becomes a new version
/// of its prompt's rubric (a new prompt when the text is new); native packs keep their
/// criterion ids, so exporting again gives the same bytes. All or nothing: a bad record
/// (reported as FILE:LINE) leaves the project unchanged.
Expected<PackImportResult> importPack(store::ProjectStore &store, const QString &path,
                                      std::optional<PackFormat> format = std::nullopt,
                                      const std::function<bool(qint64, qint64)> &progress = {});

} // namespace rs::pack
