#pragma once

#include "common/error.h"
#include "packtypes.h"

#include <functional>

namespace rs::store {
class Database;
}

namespace rs::pack {

/// Writes a rubric pack folder: rubrics.jsonl in the chosen format, manifest.json (project,
/// versions, content hashes, judge template, aggregation, what the format loses) and, for the
/// native format, reward.py, the reference reward function. Files are replaced atomically.
/// `progress(done, total)` returning false cancels (nothing is left half-written).
Expected<PackExportResult> exportPack(store::Database &db, const PackExportOptions &options,
                                      const std::function<bool(qint64, qint64)> &progress = {});

/// The first `count` records of an export as they would be written (the dialog's preview).
Expected<QStringList> previewPack(store::Database &db, PackFormat format,
                                  const PackSelection &selection, int count);

/// The text of the reference reward function shipped in native packs.
QByteArray referenceRewardScript();

} // namespace rs::pack
