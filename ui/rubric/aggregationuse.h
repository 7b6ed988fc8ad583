#pragma once

#include "analytics/aggregationpreview.h"
#include "domain/records.h"

#include <QCoreApplication>
#include <QString>

namespace rs::ui {

class ProjectEdits;

/// What "Use for this rubric" would save, and whether it may.
class AggregationUse final {
    Q_DECLARE_TR_FUNCTIONS(AggregationUse)

public:
    /// Why `candidate` cannot become the aggregation of the rubric whose current version is
    /// `head` now; empty when it can. A candidate of the other formula is refused: the rubric's
    /// scoring (weights or points), not its version, decides the formula, and switching it
    /// would re-read the numbers of every version.
    static QString blocker(const RubricRecord &head,
                           const analytics::AggregationCandidate *candidate, bool canWrite,
                           bool draftDirty, bool saving);
    /// Queues the new version on `edits`: `head`'s criteria unchanged, parent `head`, origin
    /// "manual" with the aggregation's name, aggregated as `candidate` (which must have a spec).
    static void submit(ProjectEdits &edits, qint64 promptId, const RubricRecord &head,
                       const analytics::AggregationCandidate &candidate);
};

} // namespace rs::ui
