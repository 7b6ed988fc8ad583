#pragma once

#include "common/error.h"
#include "humanlabel.h"

#include <QString>

#include <vector>

namespace rs::store {
class Database;
class ProjectStore;
} // namespace rs::store

namespace rs::labels {

/// Every stored label, in the order they were given.
Expected<std::vector<HumanLabel>> readLabels(store::Database &db);

/// Stores (or replaces) one annotator's label of a cell; durable on return.
Expected<void> writeLabel(store::ProjectStore &store, const HumanLabel &label);
/// Removes an annotator's label of a cell (the labelling view's Backspace).
Expected<void> removeLabel(store::ProjectStore &store, const HumanLabel &label);

struct LabelImport final {
    int labels = 0;  ///< lines stored (new or replacing an annotator's earlier label)
    int skipped = 0; ///< of those, "skip"
};

/// Reads a JSONL file of {"cell", "label": "yes"|"no"|"skip", "annotator"?, "criterion"?}
/// lines (what `labels export` writes). `annotator` names whose labels they are; empty: each
/// line's own "annotator". Every line is checked first (FILE:LINE errors: not JSON, a cell
/// that is not a current criterion of the response, a criterion rewritten since the label, an
/// unknown label); then all are stored in one transaction, so a bad file stores nothing.
Expected<LabelImport> importLabels(store::ProjectStore &store, const QString &path,
                                   const QString &annotator);

/// Writes the labels (of one annotator, or all when empty) as JSONL that importLabels reads
/// back on another machine. Returns the number of lines.
Expected<int> exportLabels(store::Database &db, const QString &path, const QString &annotator);

} // namespace rs::labels
