#include "authoring/generationrunner.h"
#include "authoringcli.h"
#include "authoringcommands.h"
#include "cliargs.h"
#include "clioutput.h"
#include "llm/llmscheduler.h"
#include "llm/providerregistry.h"
#include "store/projectstore.h"
#include "usage.h"

#include <QJsonArray>
#include <QJsonObject>

namespace rs::cli {

int runGenerate(const QStringList &argv) {
    if (argv.contains(QStringLiteral("--contrastive")))
        return runContrastiveGenerate(argv);
    QString parseError;
    QStringList valued = proposerOptions();
    valued << QStringLiteral("--prompts") << QStringLiteral("--with-references");
    auto parsed = parseArgs(argv, valued, &parseError);
    if (!parsed)
        return usageError(parseError);
    const Args &a = *parsed;
    const QString unknown = unknownFlag(a, {QStringLiteral("--retry-failed"), QStringLiteral("--replace"),
                                            QStringLiteral("--bypass-cache"), QStringLiteral("--preview"),
                                            QStringLiteral("--json")});
    if (!unknown.isEmpty())
        return usageError(QStringLiteral("unknown option %1\n%2").arg(unknown, usage("generate")));
    if (a.positional.size() != 1)
        return usageError(usage("generate"));

    authoring::GenerationConfig config;
    auto providers = proposalProvidersFromArgs(a);
    if (!providers)
        return usageError(providers.error().message + QLatin1Char('\n') + usage("generate"));
    config.providers = providers.value();
    auto prompts = parseIdList(a.value(QStringLiteral("--prompts"), QStringLiteral("all")));
    if (!prompts)
        return usageError(QStringLiteral("--prompts takes all or a list of prompt ids: 3,5,8"));
    config.promptIds = prompts.value();
    bool ok = true;
    config.withReferences = a.value(QStringLiteral("--with-references"), QStringLiteral("0")).toInt(&ok);
    if (!ok || config.withReferences < 0 || config.withReferences > 16)
        return usageError(QStringLiteral("--with-references takes a number from 0 to 16"));
    config.retryFailedOnly = a.flags.contains(QStringLiteral("--retry-failed"));
    config.replaceExisting = a.flags.contains(QStringLiteral("--replace"));

    const llm::JobOptions options = jobOptionsFromArgs(a, QStringLiteral("generate"));
    auto session = openLlmSession(a.positional.first());
    if (!session)
        return fail(session.error());
    authoring::GenerationRunner runner(*session->store, *session->scheduler);
    return runAuthoringJob(runner, config, options, session->prices, a, QStringLiteral("generate"),
                           QStringLiteral("generate with %1").arg(config.providers.proposer.model),
                           [&](const auto &s) {
        if (a.flags.contains(QStringLiteral("--json"))) {
            printJson(QJsonObject{{QStringLiteral("prompts"), s.inScope},
                                  {QStringLiteral("skipped"), s.skipped},
                                  {QStringLiteral("planned"), s.planned},
                                  {QStringLiteral("generated"), s.generated},
                                  {QStringLiteral("repaired"), s.repaired},
                                  {QStringLiteral("failed"), s.failed},
                                  {QStringLiteral("calls"), s.calls},
                                  {QStringLiteral("tokens"), s.tokens},
                                  {QStringLiteral("cost_usd"), s.costUsd},
                                  {QStringLiteral("cancelled"), s.cancelled},
                                  {QStringLiteral("failures"), QJsonArray::fromStringList(s.failures)}});
        } else {
            out(QStringLiteral("generate: %1 prompts, %2 skipped, %3 generated (%4 repaired), %5 failed; "
                               "%6 calls, %7 tokens, $%8\n")
                    .arg(s.inScope)
                    .arg(s.skipped)
                    .arg(s.generated)
                    .arg(s.repaired)
                    .arg(s.failed)
                    .arg(s.calls)
                    .arg(s.tokens)
                    .arg(s.costUsd, 0, 'f', 4));
        }
        return s.failed;
    });
}

} // namespace rs::cli

