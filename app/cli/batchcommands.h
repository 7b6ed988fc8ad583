#pragma once

#include <QStringList>

namespace rs::cli {

/// batch-export PROJECT --job judge --format openai|anthropic --out DIR [judge options]
int runBatchExport(const QStringList &args);
/// batch-import PROJECT FILE...
int runBatchImport(const QStringList &args);
/// batch-status PROJECT [--json]: the batches sent and how many answers came back
int runBatchStatus(const QStringList &args);

} // namespace rs::cli
