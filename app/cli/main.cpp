// rubric-studio-cli: the studio's headless front end, on the same core as the GUI.
#include "aggregationcommands.h"
#include "authoringcommands.h"
#include "batchcommands.h"
#include "clicommands.h"
#include "clioutput.h"
#include "judgecommands.h"
#include "labelcommands.h"
#include "metricscommands.h"
#include "packcommands.h"
#include "providercommands.h"
#include "rubriccommands.h"
#include "servecommands.h"
#include "usage.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#include <utility>

namespace {

using Handler = int (*)(const QStringList &);

int runVersion(const QStringList &args) {
    if (!args.isEmpty())
        return rs::cli::usageError(rs::cli::usage("version"));
    rs::cli::out(QStringLiteral("rubric-studio-cli %1\n").arg(QStringLiteral(RS_VERSION)));
    return 0;
}

constexpr std::pair<const char *, Handler> kHandlers[] = {
    {"new", rs::cli::runNew},
    {"import", rs::cli::runImport},
    {"stats", rs::cli::runStats},
    {"judge", rs::cli::runJudge},
    {"scores", rs::cli::runScores},
    {"rubric", rs::cli::runRubric},
    {"export", rs::cli::runExportPack},
    {"import-pack", rs::cli::runImportPack},
    {"export-verdicts", rs::cli::runExportVerdicts},
    {"import-verdicts", rs::cli::runImportVerdicts},
    {"batch-export", rs::cli::runBatchExport},
    {"batch-import", rs::cli::runBatchImport},
    {"batch-status", rs::cli::runBatchStatus},
    {"metrics", rs::cli::runMetrics},
    {"aggregation-preview", rs::cli::runAggregationPreview},
    {"theory", rs::cli::runTheory},
    {"import-curves", rs::cli::runImportCurves},
    {"version", runVersion},
    {"generate", rs::cli::runGenerate},
    {"refine", rs::cli::runRefine},
    {"collect", rs::cli::runCollect},
    {"prune", rs::cli::runPrune},
    {"providers", rs::cli::runProviders},
    {"serve", rs::cli::runServe},
    {"training", rs::cli::runTraining},
    {"labels", rs::cli::runLabels},
    {"judge-panel", rs::cli::runJudgePanel},
    {"judge-cascade", rs::cli::runJudgeCascade},
    {"oracle", rs::cli::runOracle},
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    // The studio's names, so the CLI reads the same providers.json and prices.json.
    QCoreApplication::setOrganizationName(QStringLiteral("RubricStudio"));
    QCoreApplication::setApplicationName(QStringLiteral("Rubric Studio"));
    QCoreApplication::setApplicationVersion(QStringLiteral(RS_VERSION));

    QStringList args = QCoreApplication::arguments().mid(1);
    // A script reads stderr as "something went wrong": a command that succeeds says nothing
    // there unless asked to. Warnings and errors still get through.
    const bool verbose = args.removeAll(QStringLiteral("--verbose")) > 0;
    if (!verbose)
        QLoggingCategory::setFilterRules(
            QStringLiteral("studio.*.info=false\nstudio.*.debug=false"));

    if (args.isEmpty() || args.first() == QLatin1String("--help") ||
        args.first() == QLatin1String("-h") || args.first() == QLatin1String("help")) {
        rs::cli::out(rs::cli::commandList());
        return args.isEmpty() ? 2 : 0;
    }
    if (args.first() == QLatin1String("--version"))
        return runVersion({});
    const QString command = args.takeFirst();
    for (const auto &[name, run] : kHandlers) {
        if (command != QLatin1String(name))
            continue;
        // Every command answers --help the same way: its own usage on stdout, exit 0.
        if (args.contains(QStringLiteral("--help")) || args.contains(QStringLiteral("-h"))) {
            rs::cli::out(rs::cli::usage(name) + QLatin1Char('\n'));
            return 0;
        }
        return run(args);
    }
    return rs::cli::usageError(QStringLiteral("unknown command \"%1\"\n").arg(command) +
                               rs::cli::commandList());
}
