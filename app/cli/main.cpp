// rubric-studio-cli: the studio's headless front end, on the same core as the GUI.
#include "clicommands.h"
#include "clioutput.h"
#include "judgecommands.h"
#include "rubriccommands.h"
#include "packcommands.h"
#include "batchcommands.h"
#include "metricscommands.h"
#include "authoringcommands.h"

#include <QCoreApplication>

namespace {

const char kUsage[] =
    "usage: rubric-studio-cli COMMAND [ARGS]\n"
    "\n"
    "commands:\n"
    "  new PROJECT                 create an empty project file\n"
    "  import PROJECT FILE...      import responses and rubrics (see import --help)\n"
    "  stats PROJECT [--json]      counts of prompts, responses, generators, rubrics, ...\n"
    "  judge PROJECT ...           run or resume a judge run (see judge --help)\n"
    "  scores PROJECT [--json]     per-response rewards from the latest judge run\n"
    "  rubric SUB PROJECT ...      rubric versions, diff, lint, tag, restore (see rubric --help)\n"
    "  export PROJECT --format F --out DIR   write a rubric pack (native|paper|healthbench|rar)\n"
    "  import-pack PROJECT PATH    import a rubric pack folder or file\n"
    "  export-verdicts PROJECT --out FILE    verdicts and rewards as CSV or JSONL\n"
    "  import-verdicts PROJECT FILE  verdicts graded elsewhere (JSONL) as a judge run of their own\n"
    "  batch-export PROJECT --job judge --format openai|anthropic --out DIR   provider batch files\n"
    "  batch-import PROJECT FILE...  import provider batch output files\n"
    "  batch-status PROJECT [--json] batches sent and how many answers came back\n"
    "  metrics PROJECT [--json]    tail accuracy, separation, style confound, ... (metrics --help)\n"
    "  theory --beta B [--json]    win rate and KL of the tail theorem (theory --help)\n"
    "  import-curves PROJECT CSV   import RL training curves (step, win_rate, rubric_reward, arm)\n"
    "  version                     print the version\n"
    "  generate PROJECT ...        initial rubrics from a proposer model (see generate --help)\n"
    "  refine PROJECT ...          RTD rounds: judge, pick the top pair, rewrite (see refine --help)\n"
    "  collect PROJECT ...         sample candidate responses from models (see collect --help)\n";

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    // The studio's names, so the CLI reads the same providers.json and prices.json.
    QCoreApplication::setOrganizationName(QStringLiteral("RubricStudio"));
    QCoreApplication::setApplicationName(QStringLiteral("Rubric Studio"));
    QCoreApplication::setApplicationVersion(QStringLiteral(RS_VERSION));

    QStringList args = QCoreApplication::arguments().mid(1);
    if (args.isEmpty() || args.first() == QLatin1String("--help") || args.first() == QLatin1String("help")) {
        rs::cli::out(QString::fromLatin1(kUsage));
        return args.isEmpty() ? 2 : 0;
    }
    const QString command = args.takeFirst();
    if (command == QLatin1String("new"))
        return rs::cli::runNew(args);
    if (command == QLatin1String("import"))
        return rs::cli::runImport(args);
    if (command == QLatin1String("stats"))
        return rs::cli::runStats(args);
    if (command == QLatin1String("judge"))
        return rs::cli::runJudge(args);
    if (command == QLatin1String("scores"))
        return rs::cli::runScores(args);
    if (command == QLatin1String("rubric"))
        return rs::cli::runRubric(args);
    if (command == QLatin1String("export"))
        return rs::cli::runExportPack(args);
    if (command == QLatin1String("import-pack"))
        return rs::cli::runImportPack(args);
    if (command == QLatin1String("export-verdicts"))
        return rs::cli::runExportVerdicts(args);
    if (command == QLatin1String("import-verdicts"))
        return rs::cli::runImportVerdicts(args);
    if (command == QLatin1String("batch-export"))
        return rs::cli::runBatchExport(args);
    if (command == QLatin1String("batch-import"))
        return rs::cli::runBatchImport(args);
    if (command == QLatin1String("batch-status"))
        return rs::cli::runBatchStatus(args);
    if (command == QLatin1String("metrics"))
        return rs::cli::runMetrics(args);
    if (command == QLatin1String("theory"))
        return rs::cli::runTheory(args);
    if (command == QLatin1String("import-curves"))
        return rs::cli::runImportCurves(args);
    if (command == QLatin1String("generate"))
        return rs::cli::runGenerate(args);
    if (command == QLatin1String("refine"))
        return rs::cli::runRefine(args);
    if (command == QLatin1String("collect"))
        return rs::cli::runCollect(args);
    if (command == QLatin1String("version") || command == QLatin1String("--version")) {
        rs::cli::out(QStringLiteral("rubric-studio-cli %1\n").arg(QStringLiteral(RS_VERSION)));
        return 0;
    }
    return rs::cli::usageError(QStringLiteral("unknown command \"%1\"\n").arg(command)
                               + QString::fromLatin1(kUsage));
}
