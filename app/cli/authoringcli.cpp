#include "authoringcli.h"

#include "clioutput.h"

namespace rs::cli {

std::optional<QList<qint64>> parseIdList(const QString &text)
{
    QList<qint64> out;
    if (text.isEmpty() || text == QLatin1String("all"))
        return out;
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const qint64 id = part.trimmed().toLongLong(&ok);
        if (!ok || id <= 0)
            return std::nullopt;
        out.push_back(id);
    }
    return out;
}

void printPreview(const QString &what, const llm::CostPreview &pv)
{
    err(QStringLiteral("%1: %2 calls (%3 cached, %4 to send), ~%5 tokens in, ~%6 out, ~$%7%8\n")
            .arg(what)
            .arg(pv.calls)
            .arg(pv.cached)
            .arg(pv.toSend)
            .arg(pv.tokensIn)
            .arg(pv.tokensOut)
            .arg(pv.costUsd, 0, 'f', 4)
            .arg(pv.priced || pv.calls == 0 ? QString() : QStringLiteral(" (model not in the price table)")));
}

QStringList proposerOptions() {
    return providerOptions() << QStringLiteral("--repair-model") << QStringLiteral("--temperature")
                             << QStringLiteral("--max-tokens") << QStringLiteral("--max-cost");
}

Expected<authoring::ProposalProviders> proposalProvidersFromArgs(const Args &args) {
    authoring::ProposalProviders p;
    auto proposer = providerFromArgs(args, QStringLiteral("proposer"));
    if (!proposer)
        return proposer.error();
    p.proposer = proposer.value();
    if (args.values.contains(QStringLiteral("--repair-model"))) {
        llm::ProviderConfig repair = proposer.value();
        repair.model = args.value(QStringLiteral("--repair-model"));
        p.repair = repair;
    }
    bool ok = true;
    p.temperature = args.value(QStringLiteral("--temperature"), QStringLiteral("0")).toDouble(&ok);
    if (!ok)
        return makeError(QStringLiteral("--temperature takes a number"));
    p.maxTokens = args.value(QStringLiteral("--max-tokens"), QStringLiteral("2048")).toInt(&ok);
    if (!ok || p.maxTokens < 16)
        return makeError(QStringLiteral("--max-tokens takes a number of at least 16"));
    return p;
}

llm::JobOptions jobOptionsFromArgs(const Args &args, const QString &kind) {
    llm::JobOptions options;
    options.kind = kind;
    options.bypassCache = args.flags.contains(QStringLiteral("--bypass-cache"));
    options.spendingCapUsd =
        args.value(QStringLiteral("--max-cost"), QStringLiteral("0")).toDouble();
    return options;
}

QStringList judgeProviderOptions()
{
    QStringList out;
    for (const QString &o : providerOptions())
        out << QStringLiteral("--judge-") + o.mid(2);
    return out;
}

Expected<llm::ProviderConfig> judgeProviderFromArgs(const Args &args)
{
    // Start from the proposer's options and let every --judge-X replace its --X, so the
    // default judge is the proposer's endpoint (the judge template carries the judge role).
    Args j = args;
    bool any = false;
    for (const QString &o : providerOptions()) {
        const QString jo = QStringLiteral("--judge-") + o.mid(2);
        if (args.values.contains(jo)) {
            j.values.insert(o, args.values.value(jo));
            any = true;
        }
    }
    if (args.values.contains(QStringLiteral("--judge-base-url")) && !args.values.contains(QStringLiteral("--judge-provider")))
        j.values.remove(QStringLiteral("--provider"));
    if (args.values.contains(QStringLiteral("--judge-provider")) && !args.values.contains(QStringLiteral("--judge-base-url")))
        j.values.remove(QStringLiteral("--base-url"));
    if (args.values.contains(QStringLiteral("--judge-provider")) && !args.values.contains(QStringLiteral("--judge-model")))
        j.values.remove(QStringLiteral("--model")); // the saved provider's own model
    if (!any)
        return providerFromArgs(args, QStringLiteral("proposer"));
    return providerFromArgs(j, QStringLiteral("judge"));
}

Expected<judge::JudgeConfig> authoringJudgeFromArgs(const Args &args)
{
    judge::JudgeConfig config;
    auto provider = judgeProviderFromArgs(args);
    if (!provider)
        return provider.error();
    config.provider = provider.value();
    const QString mode = args.value(QStringLiteral("--judge-mode"), QStringLiteral("joint"));
    if (mode == QLatin1String("per-criterion"))
        config.mode = judge::JudgeMode::PerCriterion;
    else if (mode != QLatin1String("joint"))
        return makeError(QStringLiteral("--judge-mode takes joint or per-criterion"));
    return config;
}

QStringList consistencyOptions()
{
    return {QStringLiteral("--pairs"), QStringLiteral("--max-pairs"), QStringLiteral("--tiers"),
            QStringLiteral("--consistency")};
}

Expected<authoring::PairOptions> pairOptionsFromArgs(const Args &args)
{
    authoring::PairOptions o;
    const auto source = authoring::pairSourceFromName(args.value(QStringLiteral("--pairs"), QStringLiteral("gold")));
    if (!source)
        return makeError(QStringLiteral("--pairs takes gold, tiers or top2"));
    o.source = *source;
    bool ok = true;
    o.maxPairs = args.value(QStringLiteral("--max-pairs"), QStringLiteral("3")).toInt(&ok);
    if (!ok || o.maxPairs < 1 || o.maxPairs > 16)
        return makeError(QStringLiteral("--max-pairs takes a number from 1 to 16"));
    if (args.values.contains(QStringLiteral("--tiers"))) {
        const QStringList tiers = args.value(QStringLiteral("--tiers")).split(QLatin1Char(','));
        if (tiers.size() != 2 || tiers[0].trimmed().isEmpty() || tiers[1].trimmed().isEmpty())
            return makeError(QStringLiteral("--tiers takes BETTER,WORSE, e.g. great,good"));
        o.betterTier = tiers[0].trimmed();
        o.worseTier = tiers[1].trimmed();
    }
    return o;
}

Expected<std::optional<double>> consistencyFromArgs(const Args &args)
{
    if (!args.values.contains(QStringLiteral("--consistency")))
        return std::optional<double>{};
    bool ok = true;
    const double min = args.value(QStringLiteral("--consistency")).toDouble(&ok);
    if (!ok || min < 0 || min > 1)
        return makeError(QStringLiteral("--consistency takes a rate from 0 to 1, e.g. 0.8"));
    return std::optional<double>(min);
}

} // namespace rs::cli
