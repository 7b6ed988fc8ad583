#pragma once

#include "common/error.h"

#include <QString>

#include <cstdint>
#include <vector>

namespace rs::store {
class Database;
}

namespace rs::labels {

struct SampleOptions final {
    int n = 50;
    std::uint64_t seed = 1;
    qint64 runId = 0;            ///< the judge run whose verdicts stratify; 0: the latest
    bool includeLabelled = false; ///< also cells someone has labelled yes or no already
};

/// One cell to label, with what a human needs to judge it and nothing about the judge.
struct SampledCell final {
    qint64 responseId = 0;
    qint64 promptId = 0;
    QString stableId;
    QString criterion;
    QString prompt;
    QString response;
    QString tier;
};

/// A stratified random sample of judged cells for blind labelling. Strata are the judge's
/// verdict × the response's tier; each stratum gets an equal share of `n` (capped at its
/// size, the rest spread over strata with cells left), so the rare strata that calibration is
/// about — a "no" among the best tier — are in the sample however rare they are. Within a
/// stratum, cells are drawn at random and spread over criteria before any criterion repeats.
/// Criteria checked by code are never sampled (no judge to calibrate), nor, by default, cells
/// already labelled yes/no (a new sample extends the calibration set). Cells come in a random
/// order, so the strata are not recognisable from position.
Expected<std::vector<SampledCell>> sampleCells(store::Database &db, const SampleOptions &options);

} // namespace rs::labels
