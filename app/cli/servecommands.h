#pragma once

#include <QStringList>

namespace rs::cli {

/// serve PROJECT [--host H] [--port N] [--token-env VAR] PROVIDER [judge options] ...:
/// the reward server for RL trainers (core/serve). Runs until SIGTERM or SIGINT.
int runServe(const QStringList &args);

} // namespace rs::cli
