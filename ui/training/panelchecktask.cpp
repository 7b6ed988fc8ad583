#include "training/panelchecktask.h"

#include <QCoreApplication>
#include <QThread>

namespace rs::ui {

JudgeJob::Task panelCheckTask(analytics::TopHackCheckOptions options,
                              std::shared_ptr<Expected<analytics::TopHackCheck>> result) {
    return [options, result](llm::LlmScheduler &scheduler, store::ProjectStore &store,
                             const JudgeJob::TaskReport &report,
                             const std::atomic<bool> &paused) -> Expected<judge::JudgeRunSummary> {
        auto check =
            analytics::runTopHackCheck(store, scheduler, options, [&](qint64 done, qint64 total) {
                judge::JudgeProgress p;
                p.callsDone = done;
                p.callsTotal = total;
                if (!report(p))
                    return false;
                // A pair is a handful of calls: pausing holds the next pair back, on this worker.
                while (paused.load())
                    if (QThread::msleep(50); !report(p))
                        return false;
                return true;
            });
        *result = check;
        if (!check)
            return check.error();
        judge::JudgeRunSummary s;
        s.callsPlanned = check->checked + check->failed;
        s.callsDone = s.callsPlanned;
        s.failedCalls = check->failed;
        s.cancelled = check->cancelled;
        for (const analytics::TopHackResult &r : check->results)
            if (!r.error.isEmpty())
                s.failures
                    << QStringLiteral("response %1: %2").arg(r.pair.topResponseId).arg(r.error);
        s.outcome =
            QCoreApplication::translate("rs::ui::PanelCheckTask",
                                        "step %1: %2 checked, %3 suspect, %4 skipped, %5 failed")
                .arg(check->step)
                .arg(check->checked)
                .arg(check->suspect)
                .arg(check->skipped)
                .arg(check->failed);
        return s;
    };
}

} // namespace rs::ui
