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

} // namespace rs::cli
