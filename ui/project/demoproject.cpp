#include "project/demoproject.h"

#include "analytics/trainingcurves.h"
#include "common/uilogging.h"
#include "import/importer.h"
#include "pack/verdictimport.h"
#include "project/demohistory.h"
#include "store/database.h"
#include "store/projectlock.h"
#include "store/projectmeta.h"
#include "store/projectstore.h"

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

constexpr std::string_view kVersionKey = "demo_content_version";

void removeDatabaseFiles(const QString &path)
{
    for (const char *suffix : {"", "-wal", "-shm", "-journal"})
        QFile::remove(path + QLatin1String(suffix));
}

QString resource(const char *name)
{
    initDemoResources();
    return QStringLiteral(":/demo/") + QLatin1String(name);
}

/// The importers read files from disk (they stream them with stdio), so embedded sources are
/// written out to `dir` first.
Expected<QString> writeOut(const QTemporaryDir &dir, const QString &resource)
{
    QFile in(resource);
    if (!in.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("embedded demo file missing"), resource);
    const QString target = dir.filePath(QFileInfo(resource).fileName());
    QFile out(target);
    if (!out.open(QIODevice::WriteOnly) || out.write(in.readAll()) < 0 || !out.flush())
        return makeError(QStringLiteral("cannot write: %1").arg(out.errorString()), target);
    return target;
}

/// Imports a hand-graded run; the files are ours, so a line that cannot be placed is a bug.
Expected<qint64> importRun(store::ProjectStore &store, const QTemporaryDir &dir,
                           const QString &file, const QString &name, const QString &judge)
{
    auto target = writeOut(dir, file);
    if (!target)
        return target.error();
    pack::VerdictImportOptions options;
    options.file = target.value();
    options.runName = name;
    options.judge = judge;
    auto imported = pack::importVerdicts(store, options);
    if (!imported)
        return imported.error();
    if (imported->warningCount > 0)
        return makeError(imported->warnings.value(0), options.file);
    return imported->runId;
}

/// What happened in the demo after its import, in the order it would have happened: the first
/// run, RTD on it, a second run under the refined rubrics, then labels, overrides and curves.
Expected<void> recordHistory(store::ProjectStore &store, const QTemporaryDir &dir)
{
    auto first = importRun(store, dir, DemoProject::verdictFile(), DemoProject::verdictRunName(),
                           QStringLiteral("hand-graded"));
    if (!first)
        return first.error();
    auto rounds =
        DemoHistory::recordRtdRounds(store, DemoProject::rtdFile(), first.value(), dir.path());
    if (!rounds)
        return rounds.error();
    auto second =
        importRun(store, dir, DemoProject::secondVerdictFile(), DemoProject::secondRunName(),
                  QStringLiteral("hand-graded, second reader"));
    if (!second)
        return second.error();
    if (auto r = DemoHistory::recordPreferences(store, DemoProject::preferencesFile()); !r)
        return r.error();
    if (auto r = DemoHistory::recordOverrides(store, DemoProject::overridesFile()); !r)
        return r.error();
    auto curves = writeOut(dir, DemoProject::trainingCurvesFile());
    if (!curves)
        return curves.error();
    if (auto r = analytics::importTrainingCurves(store, curves.value()); !r)
        return r.error();
    return {};
}

/// Builds the demo into `partial` (a fresh file), closing it before returning so SQLite has
/// folded its WAL into the file.
Expected<import::ImportResult> buildInto(const QString &partial, DemoProject::Verdicts verdicts)
{
    QTemporaryDir dir;
    if (!dir.isValid())
        return makeError(
            QStringLiteral("cannot create a temporary folder: %1").arg(dir.errorString()));
    import::ImportConfig config;
    config.onError = import::OnError::Abort;
    for (const QString &source : DemoProject::sourceFiles()) {
        auto target = writeOut(dir, source);
        if (!target)
            return target.error();
        config.files << target.value();
    }
    auto store = store::ProjectStore::create(partial);
    if (!store)
        return store.error();
    auto result = import::importFiles(*store.value(), config);
    if (!result)
        return result.error();
    if (verdicts == DemoProject::Verdicts::Included)
        if (auto history = recordHistory(*store.value(), dir); !history)
            return history.error();
    auto noted = store.value()->writer().write([](store::Database &db) {
        return store::writeMeta(db, kVersionKey, QString::number(DemoProject::kContentVersion));
    });
    if (!noted)
        return noted.error();
    return result;
}

} // namespace

QString DemoProject::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/demo.rubrics");
}

QStringList DemoProject::sourceFiles()
{
    return {resource("demo_rollouts.json"), resource("demo_rubrics.jsonl")};
}

QString DemoProject::verdictFile()
{
    return resource("demo_verdicts.jsonl");
}

QString DemoProject::secondVerdictFile()
{
    return resource("demo_verdicts_second.jsonl");
}

QString DemoProject::rtdFile()
{
    return resource("demo_rtd.json");
}

QString DemoProject::preferencesFile()
{
    return resource("demo_preferences.jsonl");
}

QString DemoProject::overridesFile()
{
    return resource("demo_overrides.jsonl");
}

QString DemoProject::trainingCurvesFile()
{
    return resource("demo_training_curves.csv");
}

QString DemoProject::verdictRunName()
{
    return QStringLiteral("Demo verdicts · graded by hand");
}

QString DemoProject::secondRunName()
{
    return QStringLiteral("Demo verdicts · second reader");
}

Expected<import::ImportResult> DemoProject::build(const QString &path, Verdicts verdicts)
{
    if (QFileInfo::exists(path))
        return makeError(QStringLiteral("file exists already"), path);
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return makeError(QStringLiteral("cannot create the folder for the demo project"), path);
    const QString partial = path + QStringLiteral(".partial");
    removeDatabaseFiles(partial);
    auto result = buildInto(partial, verdicts);
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

bool DemoProject::isCurrent(const QString &path)
{
    auto db = store::Database::open(path, store::Database::Mode::ReadOnly);
    if (!db)
        return false;
    auto version = store::readMeta(db.value(), kVersionKey);
    // A demo from a newer studio is left alone too: this one would only make it older.
    return version && version.value() && version.value()->toInt() >= kContentVersion;
}

Expected<bool> DemoProject::ensure(const QString &path)
{
    if (!QFileInfo::exists(path)) {
        auto built = build(path);
        if (!built)
            return built.error();
        return true;
    }
    if (isCurrent(path))
        return false;
    // Held until the new file is in place, so no other studio opens the old one half-replaced;
    // when another studio has it open, it stays as it is and opening it says why.
    auto lock = store::ProjectLock::acquire(path);
    if (!lock) {
        qCInfo(lcUi) << "the demo project is older but in use; not rebuilt:"
                     << lock.error().toString();
        return false;
    }
    const QString partial = path + QStringLiteral(".partial");
    removeDatabaseFiles(partial);
    auto result = buildInto(partial, Verdicts::Included);
    if (!result) {
        removeDatabaseFiles(partial);
        return result.error();
    }
    removeDatabaseFiles(path);
    if (!QFile::rename(partial, path)) {
        removeDatabaseFiles(partial);
        return makeError(QStringLiteral("cannot move the rebuilt demo project into place"), path);
    }
    qCInfo(lcUi) << "rebuilt the demo project (content version" << kContentVersion << ") at"
                 << path;
    return true;
}

} // namespace rs::ui
