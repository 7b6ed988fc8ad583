#pragma once

#include <QStringList>

namespace rs::cli {

/// judge PROJECT (--provider NAME | --base-url URL --model M) [--mode joint|per-criterion]
///   [--votes N] [--rubric latest] [--responses all|tier:NAME] ...
int runJudge(const QStringList &args);
/// scores PROJECT [--run ID] [--prompt ID] [--missing no|drop] [--json]
int runScores(const QStringList &args);

} // namespace rs::cli
