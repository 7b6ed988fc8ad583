#pragma once

#include "domain/records.h"
#include "rubricversions.h"

#include <QList>

namespace rs::rubric {

/// Text similarity at or above which a proposed criterion is taken to be a rewording of a
/// previous one and keeps its stable id.
inline constexpr double kSameCriterionSimilarity = 0.5;

/// Gives each proposed criterion the stable id of the previous criterion it rewrites, so a
/// criterion's history, yes-rate and overrides follow it through an LLM rewrite that
/// renumbers, reorders or lightly rewords the list. Matching is one-to-one and greedy, best
/// similarity first (exact text before anything else; ties go to the closer position). Ids in
/// `proposed` are ignored, because an LLM's numbering is not ours; unmatched criteria come
/// back with an empty id, which saveVersion turns into a fresh one. A criterion whose text is
/// unchanged also keeps its check and veto flag.
QList<CriterionDraft> assignStableIds(const QList<CriterionRecord> &previous,
                                      QList<CriterionDraft> proposed);

} // namespace rs::rubric
