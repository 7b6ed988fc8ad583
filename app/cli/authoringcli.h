#pragma once

#include "authoring/authoringprogress.h"
#include "authoring/contrastivepairs.h"
#include "authoring/proposalbatch.h"
#include "cliargs.h"
#include "clioutput.h"
#include "common/error.h"
#include "judge/judgeconfig.h"
#include "llm/costpreview.h"
#include "llm/llmjob.h"
#include "llm/pricetable.h"

#include <QList>
#include <QString>

#include <optional>

namespace rs::cli {

/// "all" → empty list; "3,5,8" → ids. nullopt on a malformed list.
std::optional<QList<qint64>> parseIdList(const QString &text);

/// Prints a cost preview line on stderr, the same form for every authoring command.
void printPreview(const QString &what, const llm::CostPreview &preview);

/// The proposer options of generate, refine and prune: providerOptions() plus --repair-model,
/// --temperature, --max-tokens and --max-cost (valued options).
QStringList proposerOptions();
/// The proposer, its repair model, temperature and max tokens from proposerOptions(). The error
/// is the usage message to print.
Expected<authoring::ProposalProviders> proposalProvidersFromArgs(const Args &args);
/// A job of `kind` with --bypass-cache and --max-cost applied.
llm::JobOptions jobOptionsFromArgs(const Args &args, const QString &kind);

/// The judge provider of `refine`: the --judge-* options layered over the proposer's.
Expected<llm::ProviderConfig> judgeProviderFromArgs(const Args &args);
/// --judge-provider, --judge-base-url, --judge-model, ... (valued options).
QStringList judgeProviderOptions();
/// The judge of an authoring job (refine's pool, the consistency filter): the judge provider
/// and --judge-mode joint|per-criterion.
Expected<judge::JudgeConfig> authoringJudgeFromArgs(const Args &args);
/// --pairs gold|tiers|top2 (default gold), --max-pairs N, --tiers BETTER,WORSE.
Expected<authoring::PairOptions> pairOptionsFromArgs(const Args &args);
/// --consistency MIN in [0, 1]; nullopt when absent.
Expected<std::optional<double>> consistencyFromArgs(const Args &args);
/// The valued options of the two above.
QStringList consistencyOptions();

/// How every authoring command (generate, refine, collect) runs its job: the cost preview on
/// stderr (--preview stops there), a progress line, each failure on stderr, then `report`
/// prints the summary and returns how many items failed. Exit code 4 when cancelled, 3 when
/// something failed (run again to retry), else 0.
template <typename Runner, typename Config, typename Report>
int runAuthoringJob(Runner &runner, const Config &config, const llm::JobOptions &options,
                    const llm::PriceTable &prices, const Args &args, const QString &label,
                    const QString &previewWhat, Report report)
{
    auto pv = runner.preview(config, prices, options.bypassCache);
    if (!pv)
        return fail(pv.error());
    printPreview(previewWhat, pv.value());
    if (args.flags.contains(QStringLiteral("--preview")))
        return 0;
    ProgressLine line(label);
    auto result = runner.run(config, options, [&](const authoring::AuthoringProgress &p) {
        line.update(p.done, p.total);
        return true;
    });
    line.finish();
    if (!result)
        return fail(result.error());
    const auto &summary = result.value();
    for (const QString &f : summary.failures)
        err(QStringLiteral("failed: %1\n").arg(f));
    const int failed = report(summary);
    if (summary.cancelled)
        return 4;
    return failed > 0 ? 3 : 0;
}

} // namespace rs::cli
