#pragma once

#include "common/error.h"

#include <QString>

#include <vector>

namespace rs::store {
class ProjectStore;
}

namespace rs::judge {

/// One verdict of a run made from other runs (a judge panel, a cascade).
struct DerivedVerdict final {
    qint64 responseId = 0;
    qint64 criterionHash = 0;
    QString stableId;
    QString verdict; ///< "yes", "no" or "error" (no verdict)
    QString rationale;
};

/// A judge run computed from other runs rather than from calls: `kind` is its provider
/// ("panel", "cascade") and `params` (canonical JSON) names what it was made from.
struct DerivedRun final {
    QString kind;
    QString name;
    QString model;
    QString mode;
    bool showWeights = false;
    QString params;
};

/// Stores a derived run and its verdicts in one transaction. The same kind and params name the
/// same run: its verdicts are replaced, so it follows its sources after they change.
Expected<qint64> writeDerivedRun(store::ProjectStore &store, const DerivedRun &run,
                                 const std::vector<DerivedVerdict> &verdicts);

} // namespace rs::judge
