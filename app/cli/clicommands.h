#pragma once

#include <QStringList>

namespace rs::cli {

/// Each command takes its arguments (after the command name) and returns the exit code.
/// Data goes to stdout; errors and progress to stderr.
int runNew(const QStringList &args);
int runImport(const QStringList &args);
int runStats(const QStringList &args);

} // namespace rs::cli
