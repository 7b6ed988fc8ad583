#include "packcommands.h"

#include "cliargs.h"
#include "clioutput.h"
#include "pack/adapters/traineradapters.h"
#include "pack/packexporter.h"
#include "pack/packimporter.h"
#include "pack/verdictexport.h"
#include "pack/verdictimport.h"
#include "store/database.h"
#include "store/projectstore.h"
#include "usage.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>

namespace rs::cli {
namespace {

std::optional<QList<qint64>> promptList(const Args &a, QString *error)
{
    QList<qint64> ids;
    const QString spec = a.value(QStringLiteral("--prompts"));
    if (spec.isEmpty() || spec == QLatin1String("all"))
        return ids;
    for (const QString &part : spec.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const qint64 id = part.trimmed().toLongLong(&ok);
        if (!ok) {
            *error = QStringLiteral("--prompts takes all or a comma-separated list of prompt ids");
            return std::nullopt;
        }
        ids << id;
    }
    return ids;
}

} // namespace

int runExportPack(const QStringList &argv)
{
    QString parseError;
    auto parsed = parseArgs(argv, {QStringLiteral("--format"), QStringLiteral("--out"), QStringLiteral("--version"),
                                   QStringLiteral("--prompts")},
                            &parseError);
    if (!parsed)
        return usageError(parseError);
    const Args &a = *parsed;
    if (const QString f = unknownFlag(a, {QStringLiteral("--json")}); !f.isEmpty())
        return usageError(QStringLiteral("unknown option %1\n%2").arg(f, usage("export")));
    if (a.positional.size() != 1 || !a.values.contains(QStringLiteral("--out")))
        return usageError(usage("export"));
    pack::PackExportOptions options;
    // A trainer format writes its adapter into --out and the native pack beside it in pack/.
    const QString formatArg = a.value(QStringLiteral("--format"), QStringLiteral("native"));
    const auto trainer = pack::trainerFormatFromName(formatArg);
    auto format =
        trainer ? std::optional(pack::PackFormat::Native) : pack::formatFromName(formatArg);
    if (!format)
        return usageError(QStringLiteral("--format takes native, paper, healthbench, rar, %1")
                              .arg(pack::trainerFormatNames().join(QStringLiteral(", "))));
    options.format = *format;
    const QString outDir = a.value(QStringLiteral("--out"));
    options.outDir = trainer ? QDir(outDir).filePath(QStringLiteral("pack")) : outDir;
    const QString version = a.value(QStringLiteral("--version"), QStringLiteral("latest"));
    if (version.startsWith(QLatin1String("tag:")) && version.size() > 4)
        options.selection.tag = version.mid(4);
    else if (version != QLatin1String("latest"))
        return usageError(QStringLiteral("--version takes latest or tag:NAME"));
    QString error;
    auto ids = promptList(a, &error);
    if (!ids)
        return usageError(error);
    options.selection.promptIds = *ids;
    options.projectName = QFileInfo(a.positional.first()).completeBaseName();
    options.toolVersion = QStringLiteral(RS_VERSION);

    auto store = store::ProjectStore::open(a.positional.first()); // migrates an older project
    if (!store)
        return fail(store.error());
    auto db = store::Database::open(a.positional.first(), store::Database::Mode::ReadOnly);
    if (!db)
        return fail(db.error());
    ProgressLine line(QStringLiteral("export"));
    auto result = pack::exportPack(db.value(), options, [&](qint64 done, qint64 total) {
        line.update(done, total);
        return true;
    });
    line.finish();
    if (!result)
        return fail(result.error());
    const auto &r = result.value();
    for (const QString &s : r.skipped)
        err(QStringLiteral("skipped: %1\n").arg(s));
    if (trainer) {
        auto files = pack::writeTrainerAdapter(db.value(), *trainer, outDir, options.selection);
        if (!files)
            return fail(files.error());
        out(QStringLiteral(
                "wrote the %1 adapter for %2 rubrics to %3: %4 (the native pack in pack/)\n")
                .arg(formatArg)
                .arg(r.rubrics)
                .arg(outDir, files->join(QStringLiteral(", "))));
        return 0;
    }
    if (a.flags.contains(QStringLiteral("--json"))) {
        printJson(QJsonObject{{QStringLiteral("dir"), r.dir},
                              {QStringLiteral("format"), pack::formatName(options.format)},
                              {QStringLiteral("files"), QJsonArray::fromStringList(r.files)},
                              {QStringLiteral("rubrics"), r.rubrics},
                              {QStringLiteral("criteria"), r.criteria},
                              {QStringLiteral("skipped"), QJsonArray::fromStringList(r.skipped)},
                              {QStringLiteral("rubrics_sha256"), r.rubricsSha256}});
        return 0;
    }
    out(QStringLiteral("exported %1 rubrics (%2 criteria) as %3 to %4: %5\n")
            .arg(r.rubrics)
            .arg(r.criteria)
            .arg(pack::formatName(options.format), r.dir, r.files.join(QStringLiteral(", "))));
    const QStringList lost = pack::formatLosses(options.format);
    if (!lost.isEmpty())
        err(QStringLiteral("the %1 format does not carry: %2\n")
                .arg(pack::formatName(options.format), lost.join(QStringLiteral("; "))));
    return 0;
}

int runImportPack(const QStringList &argv)
{
    QString parseError;
    auto parsed = parseArgs(argv, {QStringLiteral("--format")}, &parseError);
    if (!parsed)
        return usageError(parseError);
    const Args &a = *parsed;
    if (const QString f = unknownFlag(a, {QStringLiteral("--json")}); !f.isEmpty())
        return usageError(QStringLiteral("unknown option %1\n%2").arg(f, usage("import-pack")));
    if (a.positional.size() != 2)
        return usageError(usage("import-pack"));
    std::optional<pack::PackFormat> format;
    if (a.values.contains(QStringLiteral("--format"))) {
        format = pack::formatFromName(a.value(QStringLiteral("--format")));
        if (!format)
            return usageError(QStringLiteral("--format takes native, paper, healthbench or rar"));
    }
    auto store = store::ProjectStore::open(a.positional.first());
    if (!store)
        return fail(store.error());
    ProgressLine line(QStringLiteral("import-pack"));
    auto result = pack::importPack(*store.value(), a.positional.at(1), format, [&](qint64 done, qint64 total) {
        line.update(done, total);
        return true;
    });
    line.finish();
    if (!result)
        return fail(result.error());
    const auto &r = result.value();
    for (const QString &m : r.hashMismatches)
        err(QStringLiteral("warning: %1\n").arg(m));
    if (a.flags.contains(QStringLiteral("--json"))) {
        printJson(QJsonObject{{QStringLiteral("format"), pack::formatName(r.format)},
                              {QStringLiteral("records"), r.records},
                              {QStringLiteral("prompts_added"), r.promptsAdded},
                              {QStringLiteral("rubric_versions_added"), r.rubricVersionsAdded},
                              {QStringLiteral("criteria_added"), r.criteriaAdded},
                              {QStringLiteral("unchanged"), r.unchanged},
                              {QStringLiteral("hash_mismatches"), QJsonArray::fromStringList(r.hashMismatches)}});
        return 0;
    }
    out(QStringLiteral("imported %1 %2 rubrics: %3 new prompts, %4 new rubric versions, %5 criteria, "
                       "%6 unchanged\n")
            .arg(r.records)
            .arg(pack::formatName(r.format))
            .arg(r.promptsAdded)
            .arg(r.rubricVersionsAdded)
            .arg(r.criteriaAdded)
            .arg(r.unchanged));
    return 0;
}

int runExportVerdicts(const QStringList &argv)
{
    QString parseError;
    auto parsed = parseArgs(argv, {QStringLiteral("--format"), QStringLiteral("--out"), QStringLiteral("--run"),
                                   QStringLiteral("--prompts")},
                            &parseError);
    if (!parsed)
        return usageError(parseError);
    const Args &a = *parsed;
    if (const QString f = unknownFlag(a, {QStringLiteral("--json")}); !f.isEmpty())
        return usageError(QStringLiteral("unknown option %1\n%2").arg(f, usage("export-verdicts")));
    if (a.positional.size() != 1 || !a.values.contains(QStringLiteral("--out")))
        return usageError(usage("export-verdicts"));
    pack::VerdictExportOptions options;
    options.out = a.value(QStringLiteral("--out"));
    const QString fmt = a.value(QStringLiteral("--format"),
                                options.out.endsWith(QLatin1String(".csv")) ? QStringLiteral("csv") : QStringLiteral("jsonl"));
    if (fmt != QLatin1String("csv") && fmt != QLatin1String("jsonl"))
        return usageError(QStringLiteral("--format takes csv or jsonl"));
    options.csv = fmt == QLatin1String("csv");
    options.runId = a.value(QStringLiteral("--run"), QStringLiteral("0")).toLongLong();
    QString error;
    auto ids = promptList(a, &error);
    if (!ids)
        return usageError(error);
    options.promptIds = *ids;
    auto store = store::ProjectStore::open(a.positional.first());
    if (!store)
        return fail(store.error());
    auto db = store::Database::open(a.positional.first(), store::Database::Mode::ReadOnly);
    if (!db)
        return fail(db.error());
    auto result = pack::exportVerdicts(db.value(), options);
    if (!result)
        return fail(result.error());
    const auto &r = result.value();
    if (a.flags.contains(QStringLiteral("--json"))) {
        printJson(QJsonObject{{QStringLiteral("file"), options.out},
                              {QStringLiteral("format"), fmt},
                              {QStringLiteral("run"), r.runId},
                              {QStringLiteral("responses"), r.responses},
                              {QStringLiteral("rows"), r.rows}});
        return 0;
    }
    out(QStringLiteral("exported run %1: %2 responses, %3 rows to %4\n")
            .arg(r.runId)
            .arg(r.responses)
            .arg(r.rows)
            .arg(options.out));
    return 0;
}

int runImportVerdicts(const QStringList &argv)
{
    QString parseError;
    auto parsed = parseArgs(argv, {QStringLiteral("--name"), QStringLiteral("--judge")}, &parseError);
    if (!parsed)
        return usageError(parseError);
    const Args &a = *parsed;
    if (const QString f = unknownFlag(a, {QStringLiteral("--json")}); !f.isEmpty())
        return usageError(QStringLiteral("unknown option %1\n%2").arg(f, usage("import-verdicts")));
    if (a.positional.size() != 2)
        return usageError(usage("import-verdicts"));
    pack::VerdictImportOptions options;
    options.file = a.positional.at(1);
    options.runName = a.value(QStringLiteral("--name"));
    options.judge = a.value(QStringLiteral("--judge"));
    auto store = store::ProjectStore::open(a.positional.first());
    if (!store)
        return fail(store.error());
    auto result = pack::importVerdicts(*store.value(), options);
    if (!result)
        return fail(result.error());
    const auto &r = result.value();
    for (const QString &w : r.warnings)
        err(QStringLiteral("warning: %1\n").arg(w));
    if (r.warningCount > r.warnings.size())
        err(QStringLiteral("warning: %1 more\n").arg(r.warningCount - r.warnings.size()));
    if (a.flags.contains(QStringLiteral("--json"))) {
        printJson(QJsonObject{{QStringLiteral("run"), r.runId},
                              {QStringLiteral("responses"), r.responses},
                              {QStringLiteral("verdicts"), r.verdicts},
                              {QStringLiteral("warnings"), r.warningCount}});
        return 0;
    }
    out(QStringLiteral("imported run %1: %2 verdicts on %3 responses (%4 warnings)\n")
            .arg(r.runId)
            .arg(r.verdicts)
            .arg(r.responses)
            .arg(r.warningCount));
    return 0;
}

} // namespace rs::cli
