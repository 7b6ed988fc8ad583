#pragma once

#include "common/error.h"
#include "importconfig.h"

namespace rs::store {
class ProjectStore;
}

namespace rs::import {

/// Imports files into a project: config in, result out (counts, per-line warnings).
///
/// Parsing runs on the calling thread while the project's writer stores batches as they come,
/// all in one transaction: an abort, a cancel or a crash leaves the project exactly as it was.
/// Memory stays flat in the file size (chunked reads, a bounded queue between the threads).
/// `progress` may be called often; returning false cancels.
Expected<ImportResult> importFiles(store::ProjectStore &store, const ImportConfig &config,
                                   const ProgressFn &progress = {});

/// Sniffs a file's format from its first record (for the import dialog's preview).
Expected<Format> detectFormat(const QString &file, const ImportConfig &config);

} // namespace rs::import
