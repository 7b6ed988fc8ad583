#pragma once

#include <QStringList>

namespace rs::cli {

/// rubric versions|diff|lint|tag|restore: a prompt's rubric history, the diff between two
/// versions, lint over one or every rubric, tagging and restoring versions.
int runRubric(const QStringList &argv);

} // namespace rs::cli
