#pragma once

#include "analytics/tophackcheck.h"
#include "judge/judgejob.h"

#include <memory>

namespace rs::ui {

/// The rubric-free panel check of a step's top responses (analytics::runTopHackCheck) as a
/// Jobs-panel task: progress in pairs, cancel between pairs, pause held between pairs, and a
/// one-line outcome. The check (or why it could not run) lands in `result`, which the caller
/// reads once the job has finished; everything else is copied, as the task runs on a worker.
JudgeJob::Task panelCheckTask(analytics::TopHackCheckOptions options,
                              std::shared_ptr<Expected<analytics::TopHackCheck>> result);

} // namespace rs::ui
