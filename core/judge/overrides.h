#pragma once

#include "common/error.h"

#include <QString>

namespace rs::store {
class ProjectStore;
}

namespace rs::judge {

/// A human verdict on one response × criterion. Overrides are never deleted: reverting one
/// stamps reverted_at, so who changed what, and when, stays on record.
struct OverrideRequest final {
    qint64 responseId = 0;
    qint64 rubricId = 0;
    QString stableId;
    qint64 criterionHash = 0;
    bool met = false;
    QString note;
    QString author; ///< empty: the login name
};

/// Stores an override (durable on return) and returns its id.
Expected<qint64> setOverride(store::ProjectStore &store, const OverrideRequest &request);
/// Reverts an override; its verdict stops counting. Reverting twice is harmless.
Expected<void> revertOverride(store::ProjectStore &store, qint64 overrideId);
/// Brings a reverted override back (the redo of a revert).
Expected<void> restoreOverride(store::ProjectStore &store, qint64 overrideId);

} // namespace rs::judge
