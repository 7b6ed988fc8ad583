#pragma once

#include "common/error.h"

#include <QList>
#include <QString>

namespace rs::store {
class Database;
}

namespace rs::pack {

struct VerdictExportOptions final {
    QString out;
    bool csv = false;        ///< CSV: one row per response × criterion; else JSONL per response
    qint64 runId = 0;        ///< 0: the most recent judge run
    QList<qint64> promptIds; ///< empty: all
};

struct VerdictExportResult final {
    qint64 runId = 0;
    qint64 responses = 0;
    qint64 rows = 0;
};

/// Writes a judge run's verdicts and rewards for analysis elsewhere. JSONL lines carry, per
/// response, the reward the studio computes, each criterion's majority verdict, vote counts
/// and override, and the judge's raw answers ("calls"), so the pack's reward.py can recompute
/// the reward from them.
Expected<VerdictExportResult> exportVerdicts(store::Database &db, const VerdictExportOptions &options);

} // namespace rs::pack
