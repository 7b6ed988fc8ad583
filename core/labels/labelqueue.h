#pragma once

#include "common/error.h"
#include "humanlabel.h"
#include "labelsampler.h"

#include <optional>
#include <vector>

namespace rs::store {
class Database;
class ProjectStore;
} // namespace rs::store

namespace rs::labels {

/// One cell of the labelling queue and what the annotator has said about it so far.
struct QueueItem final {
    int position = 0;
    SampledCell cell;
    std::optional<LabelValue> label; ///< this annotator's label; nullopt: still to do
    /// The latest run's majority on the cell, revealed only once the annotator has answered;
    /// nullopt for a tie or no vote.
    std::optional<bool> judge;
};

/// The labelling view's sample, kept in the project so labelling resumes after a restart.
/// Replacing it keeps every label already given.
Expected<void> replaceQueue(store::ProjectStore &store, const std::vector<SampledCell> &cells);

/// The queue in order, with `annotator`'s labels (a cell whose criterion was rewritten since it
/// was queued drops out: its label would say nothing about the current text).
Expected<std::vector<QueueItem>> readQueue(store::Database &db, const QString &annotator);

} // namespace rs::labels
