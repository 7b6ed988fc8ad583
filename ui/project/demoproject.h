#pragma once

#include "common/error.h"
#include "import/importconfig.h"

#include <QString>
#include <QStringList>

namespace rs::ui {

/// The demo project: seven prompts of different kinds, each with responses of clearly
/// different quality from fictional generators and a rubric in the paper's format, plus one
/// judge run graded by hand (so the heatmap, rewards and charts show something at once). Its
/// sources are embedded (resources/demo) and go through the same importers as a user's files
/// (import, import-verdicts), so the demo also shows what an import produces.
class DemoProject final {
public:
    enum class Verdicts { Included, None };
    /// The name of the demo's hand-graded judge run.
    static QString verdictRunName();

    /// <AppDataLocation>/demo.rubrics
    static QString defaultPath();
    /// The embedded source files, as Qt resource paths.
    static QStringList sourceFiles();
    /// The embedded hand-graded verdicts (import-verdicts JSONL), as a Qt resource path.
    static QString verdictFile();
    /// Builds a project at `path` from the embedded files. Blocks on disk work: call it on a
    /// worker. The project appears under `path` complete or not at all (it is built under a
    /// temporary name and renamed), so an interrupted build is simply redone next time.
    /// `Verdicts::None` leaves it unjudged (for tests that judge it themselves).
    static Expected<import::ImportResult> build(const QString &path, Verdicts verdicts = Verdicts::Included);
};

} // namespace rs::ui
