#pragma once

#include <QStringList>

namespace rs::cli {

/// providers probe (PROVIDER | --base-url URL --kind K) --model M [--json]: what the model
/// accepts, found by asking it, and stored for every later run.
int runProviders(const QStringList &args);

} // namespace rs::cli
