#pragma once

#include "common/error.h"

#include <QString>
#include <QStringList>

namespace rs::store {
class ProjectStore;
}

namespace rs::pack {

struct VerdictImportOptions final {
    QString file;
    QString runName; ///< empty: "Imported · FILE NAME"
    QString judge;   ///< who graded, shown as the run's model; empty: "imported"
    /// Adds the verdicts to this existing run instead of creating one (runName and judge are
    /// then unused): criteria added to a rubric after its run was graded are graded into the
    /// same run, as an RTD job tops up its run round after round. 0: a new run.
    qint64 runId = 0;
};

struct VerdictImportResult final {
    qint64 runId = 0;
    qint64 responses = 0;
    qint64 verdicts = 0;
    qint64 warningCount = 0;
    QStringList warnings; ///< "FILE:LINE: problem", the first 100
};

/// Records verdicts graded elsewhere (another tool, a human pass, a studio's own
/// export-verdicts JSONL) as a judge run of their own, so the grid, rewards, analytics and
/// exports treat them like any run. One JSON object per line:
///
///   {"prompt": TEXT or "prompt_hash": H, "generator": G,
///    "criteria": [{"id": "c2", "verdict": "yes" | "no" | true | false, "reason": "..."}]}
///
/// Responses are found by prompt text (or the pack prompt hash) and generator, never by
/// position; criteria by stable id in the rubric's current version. A line or criterion that
/// cannot be placed is a warning naming the file and line; the rest goes in. A verdict the run
/// already holds for the same criterion text is replaced. Everything is written in one
/// transaction: an error leaves the project as it was.
Expected<VerdictImportResult> importVerdicts(store::ProjectStore &store, const VerdictImportOptions &options);

} // namespace rs::pack
