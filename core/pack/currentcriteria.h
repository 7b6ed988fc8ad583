#pragma once

#include "common/error.h"

#include <QString>

#include <functional>

namespace rs::store {
class Database;
}

namespace rs::pack {

/// One criterion of a prompt's current rubric (the head version of its first rubric).
struct CurrentCriterion final {
    qint64 promptId = 0;
    QString promptText;
    QString scoring;
    QString stableId;
    QString text;
    double weight = 0;
};

/// Calls `visit` for every criterion of every prompt's current rubric, by prompt and position.
/// Shared by the verdict export and import, which must agree on what "current" means.
Expected<void> forEachCurrentCriterion(store::Database &db,
                                       const std::function<void(const CurrentCriterion &)> &visit);

} // namespace rs::pack
