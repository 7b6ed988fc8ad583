#pragma once

#include "authoringprogress.h"
#include "judge/judgerunner.h"

namespace rs::authoring {

/// The progress callback of a judge run inside an authoring job (RTD's pool, the consistency
/// filter): the job's counters go on from where they stood with the run's calls, tokens and
/// cost, the run pauses with the job, and the job's report can cancel it.
inline judge::JudgeProgressFn judgeStage(judge::JudgeRunner &runner, AuthoringProgress &progress,
                                         const AuthoringProgressFn &report,
                                         const PauseFlag *paused) {
    const AuthoringProgress base = progress;
    return [&runner, &progress, &report, paused, base](const judge::JudgeProgress &p) {
        runner.setPaused(paused && paused->load());
        progress.calls = base.calls + p.callsDone;
        progress.failedCalls = base.failedCalls + p.failedCalls;
        progress.cachedCalls = base.cachedCalls + p.cachedCalls;
        progress.tokens = base.tokens + p.tokens;
        progress.costUsd = base.costUsd + p.costUsd;
        return !report || report(progress);
    };
}

} // namespace rs::authoring
