#include "project/demoproject.h"

#include "import/importer.h"
#include "pack/verdictimport.h"
#include "store/projectstore.h"
#include "common/uilogging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <mutex>

// Q_INIT_RESOURCE must be used outside any namespace. rs_ui is a static library: without this
// reference the linker could drop the resource object and the demo files would be missing.
static void initDemoResources()
{
    static std::once_flag once;
    std::call_once(once, [] { Q_INIT_RESOURCE(demo); });
}

namespace rs::ui {
namespace {

void removeDatabaseFiles(const QString &path)
{
    for (const char *suffix : {"", "-wal", "-shm", "-journal"})
        QFile::remove(path + QLatin1String(suffix));
}

} // namespace

QString DemoProject::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/demo.rubrics");
}

QStringList DemoProject::sourceFiles()
{
    initDemoResources();
    return {QStringLiteral(":/demo/demo_rollouts.json"),
            QStringLiteral(":/demo/demo_rubrics.jsonl")};
}

QString DemoProject::verdictFile()
{
    initDemoResources();
    return QStringLiteral(":/demo/demo_verdicts.jsonl");
}

QString DemoProject::verdictRunName()
{
    return QStringLiteral("Demo verdicts · graded by hand");
}

Expected<import::ImportResult> DemoProject::build(const QString &path, Verdicts verdicts)
{
    if (QFileInfo::exists(path))
        return makeError(QStringLiteral("file exists already"), path);
    // The importer reads files from disk (it streams them with stdio), so the embedded sources
    // are written out first.
    QTemporaryDir dir;
    if (!dir.isValid())
        return makeError(
            QStringLiteral("cannot create a temporary folder: %1").arg(dir.errorString()));
    import::ImportConfig config;
    config.onError = import::OnError::Abort;
    auto writeOut = [&dir](const QString &resource) -> Expected<QString> {
        QFile in(resource);
        if (!in.open(QIODevice::ReadOnly))
            return makeError(QStringLiteral("embedded demo file missing"), resource);
        const QString target = dir.filePath(QFileInfo(resource).fileName());
        QFile out(target);
        if (!out.open(QIODevice::WriteOnly) || out.write(in.readAll()) < 0 || !out.flush())
            return makeError(QStringLiteral("cannot write: %1").arg(out.errorString()), target);
        return target;
    };
    for (const QString &resource : sourceFiles()) {
        auto target = writeOut(resource);
        if (!target)
            return target.error();
        config.files << target.value();
    }
    pack::VerdictImportOptions judged;
    if (verdicts == Verdicts::Included) {
        auto target = writeOut(verdictFile());
        if (!target)
            return target.error();
        judged.file = target.value();
        judged.runName = verdictRunName();
        judged.judge = QStringLiteral("hand-graded");
    }

    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return makeError(QStringLiteral("cannot create the folder for the demo project"), path);
    const QString partial = path + QStringLiteral(".partial");
    removeDatabaseFiles(partial);

    Expected<import::ImportResult> result = makeError(QStringLiteral("not run"));
    {
        auto store = store::ProjectStore::create(partial);
        if (!store)
            return store.error();
        result = import::importFiles(*store.value(), config);
        if (result && !judged.file.isEmpty()) {
            auto imported = pack::importVerdicts(*store.value(), judged);
            if (!imported)
                result = imported.error();
            else if (imported->warningCount > 0) // the embedded files are ours: any mismatch is a bug
                result = makeError(imported->warnings.value(0), judged.file);
        }
    } // the store closes here, so SQLite folds its WAL into the file before the rename
    if (!result) {
        removeDatabaseFiles(partial);
        return result.error();
    }
    if (!QFile::rename(partial, path)) {
        removeDatabaseFiles(partial);
        return makeError(QStringLiteral("cannot move the finished demo project into place"), path);
    }
    qCInfo(lcUi) << "built the demo project at" << path;
    return result;
}

} // namespace rs::ui
