#pragma once

#include "common/error.h"

#include <QString>

#include <optional>
#include <vector>

namespace rs::store {
class Database;
class ProjectStore;
} // namespace rs::store

namespace rs::analytics {

struct CurvePoint final {
    qint64 step = 0;
    std::optional<double> winRate;
    std::optional<double> rubricReward; ///< mean rubric reward of the policy's samples
};

/// One arm (rubric variant) of an imported RL training run.
struct TrainingCurve final {
    QString arm;
    QString sourceFile;
    std::vector<CurvePoint> points; ///< by step
    int peakIndex = -1;             ///< point with the highest win rate; -1 when none has one
};

/// Parses a curves CSV: a header naming `step`, `win_rate` (or `winrate`, `win rate`),
/// `rubric_reward` (or `reward`, `mean_rubric_reward`) and optionally `arm` (or `rubric`);
/// without an arm column the file's base name is the arm. Win rates given in percent
/// (any value > 1) are scaled to shares. Errors name FILE:LINE.
Expected<std::vector<TrainingCurve>> parseTrainingCurves(const QString &path);

/// Parses and stores the curves (replacing arms of the same name); returns points stored.
Expected<qint64> importTrainingCurves(store::ProjectStore &store, const QString &path);

/// Every stored curve, arms by name, with peaks marked.
Expected<std::vector<TrainingCurve>> readTrainingCurves(store::Database &db);

/// Sets peakIndex to the point with the highest win rate (first on ties).
void markPeak(TrainingCurve &curve);

} // namespace rs::analytics
