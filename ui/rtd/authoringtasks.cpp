#include "rtd/authoringtasks.h"

#include <QCoreApplication>

namespace rs::ui {
namespace {

QString trText(const char *text)
{
    return QCoreApplication::translate("rs::ui::AuthoringTasks", text);
}

/// Folds the authoring counters into the judge-shaped progress the Jobs panel shows.
authoring::AuthoringProgressFn forward(const JudgeJob::TaskReport &report, const std::atomic<bool> &paused,
                                       const std::function<void(bool)> &setPaused)
{
    return [&report, &paused, setPaused](const authoring::AuthoringProgress &p) {
        setPaused(paused.load());
        judge::JudgeProgress j;
        j.callsDone = p.done;
        j.callsTotal = p.total;
        j.failedCalls = p.failedCalls;
        j.cachedCalls = p.cachedCalls;
        j.tokens = p.tokens;
        j.costUsd = p.costUsd;
        return report(j);
    };
}

} // namespace

JudgeJob::Task generateTask(authoring::GenerationConfig config, llm::JobOptions options)
{
    return [config, options](llm::LlmScheduler &scheduler, store::ProjectStore &store,
                             const JudgeJob::TaskReport &report,
                             const std::atomic<bool> &paused) -> Expected<judge::JudgeRunSummary> {
        authoring::GenerationRunner runner(store, scheduler);
        auto r = runner.run(config, options,
                            forward(report, paused, [&](bool p) { runner.setPaused(p); }));
        if (!r)
            return r.error();
        judge::JudgeRunSummary s;
        s.callsPlanned = r->planned;
        s.callsDone = r->generated + r->failed;
        s.failedCalls = r->failed;
        s.tokens = r->tokens;
        s.costUsd = r->costUsd;
        s.cancelled = r->cancelled;
        s.failures = r->failures;
        s.outcome = trText("%1 rubrics generated (%2 repaired), %3 failed, %4 skipped")
                        .arg(r->generated)
                        .arg(r->repaired)
                        .arg(r->failed)
                        .arg(r->skipped);
        return s;
    };
}

JudgeJob::Task refineTask(authoring::RtdConfig config, llm::JobOptions options,
                          std::shared_ptr<QList<authoring::PendingRound>> pending)
{
    return [config, options, pending](llm::LlmScheduler &scheduler, store::ProjectStore &store,
                                      const JudgeJob::TaskReport &report,
                                      const std::atomic<bool> &paused) -> Expected<judge::JudgeRunSummary> {
        authoring::RtdRunner runner(store, scheduler);
        auto r = runner.run(config, options, forward(report, paused, [&](bool p) { runner.setPaused(p); }));
        if (!r)
            return r.error();
        if (pending)
            *pending = r->pending;
        judge::JudgeRunSummary s;
        s.callsPlanned = r->roundsDone + r->failed + r->judgeFailures + r->pending.size();
        s.callsDone = s.callsPlanned;
        s.failedCalls = r->failed + r->judgeFailures;
        s.tokens = r->tokens;
        s.costUsd = r->costUsd;
        s.cancelled = r->cancelled;
        s.failures = r->failures;
        s.outcome = config.autoAccept
                        ? trText("%1 rounds over %2 prompts (%3 before), %4 stopped")
                              .arg(r->roundsDone)
                              .arg(r->prompts)
                              .arg(r->roundsBefore)
                              .arg(r->failed + r->judgeFailures)
                        : trText("%1 proposal(s) to review").arg(r->pending.size());
        if (r->pool.servedStep)
            s.outcome += trText(" · pool: %1 responses served at step %2")
                             .arg(r->pool.responseCount())
                             .arg(*r->pool.servedStep);
        return s;
    };
}

JudgeJob::Task collectTask(authoring::CollectConfig config, llm::JobOptions options)
{
    return [config, options](llm::LlmScheduler &scheduler, store::ProjectStore &store,
                             const JudgeJob::TaskReport &report,
                             const std::atomic<bool> &paused) -> Expected<judge::JudgeRunSummary> {
        authoring::CollectRunner runner(store, scheduler);
        auto r = runner.run(config, options, forward(report, paused, [&](bool p) { runner.setPaused(p); }));
        if (!r)
            return r.error();
        judge::JudgeRunSummary s;
        s.callsPlanned = r->planned;
        s.callsDone = r->stored + r->duplicates + r->failed;
        s.failedCalls = r->failed;
        s.tokens = r->tokens;
        s.costUsd = r->costUsd;
        s.cancelled = r->cancelled;
        s.failures = r->failures;
        s.outcome = trText("%1 responses stored, %2 already there, %3 failed")
                        .arg(r->stored)
                        .arg(r->skipped)
                        .arg(r->failed);
        return s;
    };
}

JudgeJob::Task pruneRewriteTask(authoring::PruneRewriteConfig config, llm::JobOptions options) {
    return [config, options](llm::LlmScheduler &scheduler, store::ProjectStore &store,
                             const JudgeJob::TaskReport &report,
                             const std::atomic<bool> &paused) -> Expected<judge::JudgeRunSummary> {
        authoring::PruneRewriteRunner runner(store, scheduler);
        auto r = runner.run(config, options,
                            forward(report, paused, [&](bool p) { runner.setPaused(p); }));
        if (!r)
            return r.error();
        judge::JudgeRunSummary s;
        s.callsPlanned = r->planned;
        s.callsDone = r->rewritten + r->unchanged + r->failed;
        s.failedCalls = r->failed;
        s.tokens = r->tokens;
        s.costUsd = r->costUsd;
        s.cancelled = r->cancelled;
        s.failures = r->failures;
        s.outcome =
            trText("%1 rubrics rewritten (%2 repaired), %3 unchanged, %4 failed, %5 skipped")
                .arg(r->rewritten)
                .arg(r->repaired)
                .arg(r->unchanged)
                .arg(r->failed)
                .arg(r->skipped);
        return s;
    };
}

} // namespace rs::ui
