#pragma once

#include "common/error.h"
#include "domain/records.h"

#include <QList>
#include <QString>

namespace rs::store {
class Database;
}

namespace rs::rubric {

enum class DiffKind {
    Unchanged,  ///< same text, weight, category and tags
    Reweighted, ///< same text; weight, category, tags, check or veto changed
    Rewritten,  ///< text changed (matched by stable id or by text similarity)
    Added,
    Removed,
    Split,  ///< one old criterion became several new ones, each a part of it
    Merged, ///< several old criteria became one new one containing each
};

QString diffKindName(DiffKind kind); ///< "unchanged", "re-weighted", ...

/// One row of a diff: the old criteria on the left, the new on the right (indices into the
/// two lists), both empty on one side for added and removed.
struct DiffEntry final {
    DiffKind kind = DiffKind::Unchanged;
    QList<int> from;        ///< indices into RubricDiff::fromCriteria
    QList<int> to;          ///< indices into RubricDiff::toCriteria
    double similarity = 1;  ///< text similarity of the pair (the lowest part for split/merge)
    bool idChanged = false; ///< a rewritten pair whose stable ids differ
};

struct RubricDiff final {
    QList<CriterionRecord> fromCriteria;
    QList<CriterionRecord> toCriteria;
    QList<DiffEntry>
        entries; ///< in the new version's order; removed ones after their old neighbour
    QString fromAggregation; ///< the versions' aggregation JSON ("" = plain scoring)
    QString toAggregation;
    int count(DiffKind kind) const;
    bool aggregationChanged() const { return fromAggregation != toAggregation; }
    /// "2 added, 1 removed, 1 rewritten, ..., aggregation changed" for status lines and the CLI.
    QString summary() const;
};

/// Thresholds, exposed so tests and docs can state them.
inline constexpr double kRewriteSimilarity = 0.45; ///< different ids, similar enough = rewritten
inline constexpr double kPartContainment = 0.6;    ///< a split part's words found in the whole

/// Classifies how `to` differs from `from`. In order: identical texts pair first; then splits
/// and merges (an unpaired criterion whose words contain two or more unpaired criteria of the
/// other side); then same stable id = rewritten; then the most similar remaining pairs above
/// kRewriteSimilarity = rewritten; what is left is added or removed.
RubricDiff diffCriteria(const QList<CriterionRecord> &from, const QList<CriterionRecord> &to);
/// What a criterion is besides its text, for diff lines: "min_words 60 · veto"; "" if judged.
QString criterionMechanics(const CriterionRecord &c);
/// The diff between two stored versions (any two, of any prompt).
Expected<RubricDiff> diffVersions(store::Database &db, qint64 fromVersionId, qint64 toVersionId);

} // namespace rs::rubric
