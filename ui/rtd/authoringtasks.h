#pragma once

#include "authoring/collectrunner.h"
#include "authoring/generationrunner.h"
#include "authoring/prunerewriterunner.h"
#include "authoring/rtdrunner.h"
#include "judge/judgejob.h"

#include <QList>

#include <memory>

namespace rs::ui {

/// The authoring runners as Jobs-panel tasks (JudgeJob::startTask): progress in units (prompts
/// generated, rounds refined, responses collected), cancel and pause from the panel, a one-line
/// outcome, and the failures list. Everything they capture is copied: they run on a worker.
JudgeJob::Task generateTask(authoring::GenerationConfig config, llm::JobOptions options);
/// `pending` receives the proposals when config.autoAccept is off (the RTD panel's review).
JudgeJob::Task refineTask(authoring::RtdConfig config, llm::JobOptions options,
                          std::shared_ptr<QList<authoring::PendingRound>> pending = {});
JudgeJob::Task collectTask(authoring::CollectConfig config, llm::JobOptions options);
/// Units are prompts whose dead criteria the proposer rewrites.
JudgeJob::Task pruneRewriteTask(authoring::PruneRewriteConfig config, llm::JobOptions options);

} // namespace rs::ui
