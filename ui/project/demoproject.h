#pragma once

#include "common/error.h"
#include "import/importconfig.h"

#include <QString>
#include <QStringList>

namespace rs::ui {

/// The demo project: seven prompts of different kinds, each with responses of clearly
/// different quality from fictional generators and a rubric in the paper's format, and what a
/// few days of work on it would leave: a judge run graded by hand, a recorded RTD history (two
/// rounds on the first prompt), a second, stricter hand-graded run to compare with, gold
/// preferences between responses of the same tier, a reviewer's overrides and imported
/// training curves, so every view shows something at once. Its sources are embedded
/// (resources/demo) and go through the same importers and core calls as a user's work
/// (import, import-verdicts, RTD rounds, preferences, overrides, import-curves).
class DemoProject final {
public:
    /// Bump when the demo's content changes: a demo built with an older content version is
    /// rebuilt when it is opened as the demo (ensure()).
    static constexpr int kContentVersion = 2;

    enum class Verdicts { Included, None };
    /// The name of the demo's hand-graded judge run (the one its RTD rounds ranked with).
    static QString verdictRunName();
    /// The name of the second hand-graded run, which differs from the first on a few cells.
    static QString secondRunName();

    /// <AppDataLocation>/demo.rubrics
    static QString defaultPath();
    /// The embedded source files, as Qt resource paths.
    static QStringList sourceFiles();
    /// The embedded hand-graded verdicts (import-verdicts JSONL), as a Qt resource path.
    static QString verdictFile();
    /// The second run's verdicts, graded against the rubrics after the RTD rounds.
    static QString secondVerdictFile();
    /// The recorded RTD history (demo_rtd.json).
    static QString rtdFile();
    /// Gold preferences (demo_preferences.jsonl).
    static QString preferencesFile();
    /// A reviewer's overrides (demo_overrides.jsonl).
    static QString overridesFile();
    /// Training curves of two rubric arms (demo_training_curves.csv).
    static QString trainingCurvesFile();

    /// Builds a project at `path` from the embedded files. Blocks on disk work: call it on a
    /// worker. The project appears under `path` complete or not at all (it is built under a
    /// temporary name and renamed), so an interrupted build is simply redone next time.
    /// `Verdicts::None` leaves it as imported: no runs, no history, no gold labels (for tests
    /// that judge it themselves).
    static Expected<import::ImportResult> build(const QString &path, Verdicts verdicts = Verdicts::Included);

    /// Whether the project at `path` is a demo of the current content version.
    static bool isCurrent(const QString &path);
    /// Makes sure a current demo is at `path`: builds it when missing and replaces one built
    /// with an older content version (unless another studio has it open). True when it built
    /// one. Blocks: call it on a worker.
    static Expected<bool> ensure(const QString &path);
};

} // namespace rs::ui
