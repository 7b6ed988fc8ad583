#pragma once

#include "batchfile.h"
#include "common/error.h"
#include "judge/judgeconfig.h"
#include "judge/judgerunner.h"

#include <QStringList>

namespace rs::store {
class ProjectStore;
}
namespace rs::llm {
class LlmScheduler;
}

namespace rs::batch {

struct BatchExportResult final {
    qint64 batchId = 0;
    qint64 runId = 0;
    QStringList files;
    qint64 requests = 0;     ///< written
    qint64 cached = 0;       ///< planned but already answered in the cache: not written
    qint64 duplicates = 0;   ///< identical requests written once
};

/// Writes the calls a judge run still needs as provider batch input files instead of sending
/// them: the same plan and rendering as JudgeRunner (so the same cache keys), split to the
/// provider's limits, and records each request (custom_id → cache key) in the project.
/// Requests already answered in the cache are left out unless `includeCached`.
Expected<BatchExportResult> exportJudgeBatch(store::ProjectStore &store, llm::LlmScheduler &scheduler,
                                             const judge::JudgeConfig &config, BatchFormat format,
                                             const QString &outDir, const BatchLimits &limits,
                                             bool includeCached = false);

struct BatchImportResult final {
    qint64 answered = 0;      ///< answers stored in the cache
    qint64 failed = 0;        ///< results the provider reports as failed (re-send them)
    QStringList unknown;      ///< FILE:LINE: custom_ids this project never sent
    QStringList duplicates;   ///< FILE:LINE: custom_ids seen before (first answer kept)
    QStringList problems;     ///< FILE:LINE: lines that could not be read (e.g. truncated)
    QStringList failures;     ///< the first few failed results, "custom_id: reason"
    qint64 remaining = 0;     ///< requests of the batches touched still without an answer
    qint64 verdictsStored = 0;
    QList<qint64> runs;       ///< judge runs replayed
};

/// Imports provider batch output files: each answer is checked against what was sent, stored
/// in the LLM cache under the request's key, and the judge runs of the batches touched are
/// replayed cache-only, so answers go through the same parsing and verdict storage as live
/// calls. A partial output imports what it has; the rest stays missing and can be exported
/// again with exportJudgeBatch.
Expected<BatchImportResult> importBatchOutputs(store::ProjectStore &store, llm::LlmScheduler &scheduler,
                                               const QStringList &files,
                                               const judge::JudgeProgressFn &progress = {});

/// A judge configuration as JSON (no key), to replay a batch's job on import.
QString judgeConfigToJson(const judge::JudgeConfig &config);
Expected<judge::JudgeConfig> judgeConfigFromJson(const QString &json);

} // namespace rs::batch
