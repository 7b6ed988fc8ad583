#pragma once

#include "common/error.h"

#include <QString>

namespace rs::store {
class ProjectStore;
}

namespace rs::ui {

/// The part of the demo project that is not imported but happened in it: a recorded RTD
/// history, gold preferences between responses and a reviewer's overrides, all written by hand
/// (resources/demo) and stored through the same core calls as the studio's own RTD rounds,
/// preference picks and overrides, so the demo holds exactly what real use would leave.
///
/// Responses are named by prompt text and generator, never by id. Anything that does not match
/// the project (a generator missing, a pair the scores would not have picked) is an error: the
/// files are ours, so a mismatch is a bug to fix rather than something to skip.
class DemoHistory final {
public:
    /// Replays the rounds of `file` (demo_rtd.json) on the prompt it names, each as the RTD
    /// runner would: rewards of `judgeRunId` under the rubric of the time, the pair of the two
    /// best in the remaining pool (which must be the one the file names), the proposer's rubric
    /// saved as a version with origin "rtd" and its round row, then the round's verdicts on the
    /// criteria it introduced graded into the same run. `scratchDir` takes temporary files.
    /// Returns the number of rounds recorded.
    static Expected<int> recordRtdRounds(store::ProjectStore &store, const QString &file,
                                         qint64 judgeRunId, const QString &scratchDir);

    /// Stores the gold preferences of `file` (demo_preferences.jsonl: one {prompt, a, b,
    /// winner: "a"|"b", note} per line) as imported labels. Returns how many.
    static Expected<int> recordPreferences(store::ProjectStore &store, const QString &file);

    /// Stores the overrides of `file` (demo_overrides.jsonl: one {prompt, generator, id,
    /// verdict, note} per line) on the criteria of the current rubrics. Returns how many.
    static Expected<int> recordOverrides(store::ProjectStore &store, const QString &file);
};

} // namespace rs::ui
