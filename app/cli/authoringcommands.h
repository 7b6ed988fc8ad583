#pragma once

#include <QStringList>

namespace rs::cli {

/// rubric-studio-cli generate: an initial rubric per prompt from the proposer.
int runGenerate(const QStringList &args);
/// rubric-studio-cli generate --contrastive: rubrics from preferred/rejected pairs, filtered
/// for consistency with them.
int runContrastiveGenerate(const QStringList &args);
/// rubric-studio-cli refine: RTD rounds over one prompt or many.
int runRefine(const QStringList &args);
/// rubric-studio-cli collect: candidate responses sampled (or rewritten) by several models.
int runCollect(const QStringList &args);
/// rubric-studio-cli prune: criteria dead among the top responses, listed, pruned or rewritten.
int runPrune(const QStringList &args);

} // namespace rs::cli
