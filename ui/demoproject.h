#pragma once

#include "common/error.h"
#include "import/importconfig.h"

#include <QString>
#include <QStringList>

namespace rs::ui {

/// The demo project: seven prompts of different kinds, each with responses of clearly
/// different quality from fictional generators and a rubric in the paper's format. Its
/// sources are embedded (resources/demo) and go through the same importer as a user's files,
/// so the demo also shows what an import produces.
class DemoProject final {
public:
    /// <AppDataLocation>/demo.rubrics
    static QString defaultPath();
    /// The embedded source files, as Qt resource paths.
    static QStringList sourceFiles();
    /// Builds a project at `path` from the embedded files. Blocks on disk work: call it on a
    /// worker. The project appears under `path` complete or not at all (it is built under a
    /// temporary name and renamed), so an interrupted build is simply redone next time.
    static Expected<import::ImportResult> build(const QString &path);
};

} // namespace rs::ui
