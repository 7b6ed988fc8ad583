#pragma once

#include <QSet>
#include <QString>
#include <QStringList>

namespace rs::rubric {

/// How alike two criterion texts are, for stable ids, diffs and the near-duplicate lint.
/// Texts are compared after normalisation: lower case, list numbering ("3.", "c2:", "(b)",
/// "- ") removed, punctuation dropped, common function words ignored.
class TextSimilarity final {
public:
    /// The content words of a text, in order, after normalisation.
    static QStringList tokens(const QString &text);
    /// Lower case, numbering and punctuation gone, whitespace collapsed.
    static QString normalise(const QString &text);
    /// 0..1: the mean of content-word Jaccard and character-trigram Dice, so that a reworded
    /// criterion (same words, other order) and a retyped one (same letters, small edits) both
    /// score high, and two criteria that share only topic words stay low.
    static double similarity(const QString &a, const QString &b);
    /// 0..1: the share of the shorter text's content words found in the longer one; high when
    /// one criterion is a part of the other (splits and merges).
    static double containment(const QString &part, const QString &whole);
};

} // namespace rs::rubric
