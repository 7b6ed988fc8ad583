#include "authoring/collectrunner.h"
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
namespace {


} // namespace

int runCollect(const QStringList &argv) {
    QString parseError;
    QStringList valued = providerOptions();
    valued << QStringLiteral("--models") << QStringLiteral("--n") << QStringLiteral("--temperature")
           << QStringLiteral("--max-tokens") << QStringLiteral("--tier") << QStringLiteral("--prompts")
           << QStringLiteral("--rewrite") << QStringLiteral("--max-cost");
    auto parsed = parseArgs(argv, valued, &parseError);
    if (!parsed)
        return usageError(parseError);
    Args a = *parsed;
    const QString unknown = unknownFlag(a, {QStringLiteral("--off-policy"), QStringLiteral("--bypass-cache"),
                                            QStringLiteral("--preview"), QStringLiteral("--json")});
    if (!unknown.isEmpty())
        return usageError(QStringLiteral("unknown option %1\n%2").arg(unknown, usage("collect")));
    if (a.positional.size() != 1 || !a.values.contains(QStringLiteral("--models")))
        return usageError(usage("collect"));
    const QStringList models = a.value(QStringLiteral("--models")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (models.isEmpty())
        return usageError(QStringLiteral("--models takes a comma-separated list of model names"));
    // The endpoint comes from the shared provider options; the model from each list entry.
    a.values.insert(QStringLiteral("--model"), models.first().trimmed());
    auto base = providerFromArgs(a, QStringLiteral("provider"));
    if (!base)
        return usageError(base.error().message + QLatin1Char('\n') + usage("collect"));

    authoring::CollectConfig config;
    for (const QString &m : models) {
        llm::ProviderConfig p = base.value();
        p.model = m.trimmed();
        config.models.push_back(p);
    }
    bool ok = true;
    config.n = a.value(QStringLiteral("--n"), QStringLiteral("1")).toInt(&ok);
    if (!ok || config.n < 1 || config.n > 64)
        return usageError(QStringLiteral("--n takes a number from 1 to 64"));
    config.temperature = a.value(QStringLiteral("--temperature"), QStringLiteral("0.7")).toDouble(&ok);
    if (!ok)
        return usageError(QStringLiteral("--temperature takes a number"));
    config.maxTokens = a.value(QStringLiteral("--max-tokens"), QStringLiteral("1024")).toInt(&ok);
    if (!ok || config.maxTokens < 1)
        return usageError(QStringLiteral("--max-tokens takes a positive number"));
    config.tier = a.value(QStringLiteral("--tier"));
    config.offPolicy = a.flags.contains(QStringLiteral("--off-policy"));
    auto prompts = parseIdList(a.value(QStringLiteral("--prompts"), QStringLiteral("all")));
    if (!prompts)
        return usageError(QStringLiteral("--prompts takes all or a list of prompt ids: 3,5,8"));
    config.promptIds = prompts.value();
    if (a.values.contains(QStringLiteral("--rewrite"))) {
        auto ids = parseIdList(a.value(QStringLiteral("--rewrite")));
        if (!ids || ids->isEmpty())
            return usageError(QStringLiteral("--rewrite takes a list of response ids"));
        config.rewriteResponseIds = ids.value();
    }

    const llm::JobOptions options = jobOptionsFromArgs(a, QStringLiteral("collect"));
    auto session = openLlmSession(a.positional.first());
    if (!session)
        return fail(session.error());
    authoring::CollectRunner runner(*session->store, *session->scheduler);
    return runAuthoringJob(runner, config, options, session->prices, a, QStringLiteral("collect"),
                           QStringLiteral("collect from %1 model(s)").arg(config.models.size()),
                           [&](const auto &s) {
        if (a.flags.contains(QStringLiteral("--json"))) {
            printJson(QJsonObject{{QStringLiteral("planned"), s.planned},
                                  {QStringLiteral("skipped"), s.skipped},
                                  {QStringLiteral("stored"), s.stored},
                                  {QStringLiteral("duplicates"), s.duplicates},
                                  {QStringLiteral("failed"), s.failed},
                                  {QStringLiteral("calls"), s.calls},
                                  {QStringLiteral("tokens"), s.tokens},
                                  {QStringLiteral("cost_usd"), s.costUsd},
                                  {QStringLiteral("cancelled"), s.cancelled},
                                  {QStringLiteral("failures"), QJsonArray::fromStringList(s.failures)}});
        } else {
            out(QStringLiteral("collect: %1 asked, %2 already there, %3 stored, %4 duplicates, %5 failed; "
                               "%6 calls, %7 tokens, $%8\n")
                    .arg(s.planned)
                    .arg(s.skipped)
                    .arg(s.stored)
                    .arg(s.duplicates)
                    .arg(s.failed)
                    .arg(s.calls)
                    .arg(s.tokens)
                    .arg(s.costUsd, 0, 'f', 4));
        }
        return s.failed;
    });
}

} // namespace rs::cli
