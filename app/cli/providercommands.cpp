#include "providercommands.h"

#include "cliargs.h"
#include "clioutput.h"
#include "llm/capabilityprobe.h"
#include "llm/capabilitystore.h"
#include "llm/keyresolver.h"
#include "llm/llmscheduler.h"
#include "llm/providerregistry.h"
#include "usage.h"

#include <QJsonArray>
#include <QJsonObject>

namespace rs::cli {

int runProviders(const QStringList &argv) {
    if (argv.isEmpty() || argv.first() != QLatin1String("probe"))
        return usageError(usage("providers"));
    QString parseError;
    auto parsed = parseArgs(argv.mid(1), providerOptions(), &parseError);
    if (!parsed)
        return usageError(parseError);
    Args a = *parsed;
    for (const QString &f : a.flags)
        if (f != QLatin1String("--json"))
            return usageError(QStringLiteral("unknown option %1\n%2").arg(f, usage("providers")));
    // A provider may be named positionally: providers probe NAME --model M.
    if (a.positional.size() == 1 && !a.values.contains(QStringLiteral("--provider")))
        a.values.insert(QStringLiteral("--provider"), a.positional.takeFirst());
    if (!a.positional.isEmpty() || !a.values.contains(QStringLiteral("--model")))
        return usageError(usage("providers"));
    auto provider = providerFromArgs(a, QStringLiteral("provider to probe"));
    if (!provider)
        return usageError(provider.error().message + QLatin1Char('\n') + usage("providers"));
    auto key = llm::KeyResolver().key(provider.value());
    if (!key)
        return fail(key.error());
    auto prices = llm::ProviderRegistry::loadPrices();
    if (!prices)
        return fail(prices.error());
    llm::LlmScheduler scheduler(prices.value(), nullptr);
    auto store = llm::CapabilityStore::shared();
    auto report = llm::probeModel(scheduler, provider.value(), key.value(), *store);
    if (!report)
        return fail(report.error());
    const llm::ProbeReport &r = report.value();
    if (a.flags.contains(QStringLiteral("--json"))) {
        QJsonObject o{{QStringLiteral("provider"), provider->name},
                      {QStringLiteral("model"), provider->model},
                      {QStringLiteral("answered"), r.answered},
                      {QStringLiteral("logprobs_returned"), r.logprobsReturned},
                      {QStringLiteral("schema_followed"), r.schemaFollowed},
                      {QStringLiteral("capabilities"), r.caps.toJson()},
                      {QStringLiteral("steps"), QJsonArray::fromStringList(r.steps)},
                      {QStringLiteral("stored_in"), llm::CapabilityStore::defaultPath()}};
        if (!r.error.isEmpty())
            o.insert(QStringLiteral("error"), r.error);
        printJson(o);
    } else {
        for (const QString &step : r.steps)
            out(QStringLiteral("  %1\n").arg(step));
        const QJsonObject caps = r.caps.toJson();
        for (auto it = caps.begin(); it != caps.end(); ++it)
            if (it.key() != QLatin1String("lessons"))
                out(QStringLiteral("%1\t%2\n")
                        .arg(it.key(),
                             it.value().isArray()
                                 ? it.value().toVariant().toStringList().join(QLatin1Char(','))
                                 : it.value().toVariant().toString()));
        if (!r.error.isEmpty())
            err(QStringLiteral("the model did not answer: %1\n").arg(r.error));
    }
    return r.answered ? 0 : 3;
}

} // namespace rs::cli
