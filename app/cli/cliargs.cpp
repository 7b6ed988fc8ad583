#include "cliargs.h"

#include "store/projectstore.h"

#include "llm/providerregistry.h"

namespace rs::cli {

std::optional<Args> parseArgs(const QStringList &args, const QStringList &valued, QString *error)
{
    Args out;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &a = args[i];
        if (!a.startsWith(QLatin1String("--"))) {
            out.positional << a;
        } else if (valued.contains(a)) {
            if (i + 1 >= args.size()) {
                *error = QStringLiteral("%1 needs a value").arg(a);
                return std::nullopt;
            }
            // --base-url may be given more than once: the judge's replicas, in order.
            if (a == QLatin1String("--base-url") && out.values.contains(a))
                out.values[a] += QLatin1Char(',') + args[++i];
            else
                out.values.insert(a, args[++i]);
        } else {
            out.flags.insert(a);
        }
    }
    return out;
}

QString unknownFlag(const Args &args, const QSet<QString> &known)
{
    for (const QString &f : args.flags)
        if (!known.contains(f))
            return f;
    return {};
}

QStringList providerOptions()
{
    return {QStringLiteral("--provider"),   QStringLiteral("--base-url"),
            QStringLiteral("--model"),      QStringLiteral("--kind"),
            QStringLiteral("--key-env"),    QStringLiteral("--concurrency"),
            QStringLiteral("--timeout-ms"), QStringLiteral("--retries"),
            QStringLiteral("--api")};
}

QString providerUsage()
{
    return QStringLiteral(
        "(--provider NAME | --base-url URL[,URL...] --model M) [--kind openai|anthropic]\n"
        "         [--key-env VAR] [--concurrency N] [--timeout-ms N] [--retries N]\n"
        "         [--api chat|responses|auto]");
}

Expected<llm::ProviderConfig> providerFromArgs(const Args &a, const QString &role)
{
    llm::ProviderConfig provider;
    if (a.values.contains(QStringLiteral("--provider"))) {
        auto reg = llm::ProviderRegistry::load(llm::ProviderRegistry::defaultPath());
        if (!reg)
            return reg.error();
        const QString name = a.value(QStringLiteral("--provider"));
        const auto *p = reg->find(name);
        if (!p)
            return makeError(QStringLiteral("no provider named \"%1\" in %2")
                                                 .arg(name, llm::ProviderRegistry::defaultPath()));
        provider = *p;
        if (a.values.contains(QStringLiteral("--model")))
            provider.model = a.value(QStringLiteral("--model"));
    } else if (a.values.contains(QStringLiteral("--base-url")) && a.values.contains(QStringLiteral("--model"))) {
        // Several URLs (repeated or comma-separated) are replicas of one model; the first names
        // the provider and keys the cache.
        QStringList urls;
        for (const QString &u : a.value(QStringLiteral("--base-url")).split(QLatin1Char(',')))
            if (!u.trimmed().isEmpty())
                urls << u.trimmed();
        if (urls.isEmpty())
            return makeError(QStringLiteral("--base-url needs a URL"));
        provider.name = urls.takeFirst();
        provider.baseUrl = provider.name;
        provider.replicaUrls = urls;
        provider.model = a.value(QStringLiteral("--model"));
        provider.maxConcurrency = 32;
        const QString kind = a.value(QStringLiteral("--kind"), QStringLiteral("openai"));
        if (kind == QLatin1String("anthropic"))
            provider.kind = llm::ProviderKind::Anthropic;
        else if (kind != QLatin1String("openai"))
            return makeError(QStringLiteral("--kind takes openai or anthropic"));
        if (a.values.contains(QStringLiteral("--key-env"))) {
            provider.keySource = llm::KeySource::Environment;
            provider.keyEnv = a.value(QStringLiteral("--key-env"));
        }
    } else {
        return makeError(QStringLiteral("name a %1: --provider NAME, or --base-url URL --model M").arg(role));
    }
    bool ok = true;
    if (a.values.contains(QStringLiteral("--concurrency")))
        provider.maxConcurrency = qMax(1, a.value(QStringLiteral("--concurrency")).toInt(&ok));
    if (ok && a.values.contains(QStringLiteral("--timeout-ms")))
        provider.timeoutMs = qMax(100, a.value(QStringLiteral("--timeout-ms")).toInt(&ok));
    if (ok && a.values.contains(QStringLiteral("--retries")))
        provider.maxRetries = qMax(0, a.value(QStringLiteral("--retries")).toInt(&ok));
    if (!ok)
        return makeError(QStringLiteral("--concurrency, --timeout-ms and --retries take numbers"));
    if (a.values.contains(QStringLiteral("--api"))) {
        provider.api = a.value(QStringLiteral("--api"));
        if (provider.api != QLatin1String("auto") && provider.api != QLatin1String("chat") &&
            provider.api != QLatin1String("responses"))
            return makeError(QStringLiteral("--api takes chat, responses or auto"));
    }
    return provider;
}

Expected<OpenProject> openProject(const QString &path) {
    auto store = store::ProjectStore::open(path);
    if (!store)
        return store.error();
    auto db = store::Database::open(path, store::Database::Mode::ReadOnly);
    if (!db)
        return db.error();
    return OpenProject{std::move(store.value()), std::move(db.value())};
}

Expected<LlmSession> openLlmSession(const QString &path, ProjectAccess access) {
    auto store = access == ProjectAccess::Shared ? store::ProjectStore::openShared(path)
                                                 : store::ProjectStore::open(path);
    if (!store)
        return store.error();
    auto prices = llm::ProviderRegistry::loadPrices();
    if (!prices)
        return prices.error();
    auto scheduler = std::make_unique<llm::LlmScheduler>(prices.value(), store.value().get());
    return LlmSession{std::move(store.value()), std::move(prices.value()), std::move(scheduler)};
}

Expected<store::Database> openProjectForReading(const QString &path) {
    if (auto store = store::ProjectStore::open(path); !store)
        return store.error();
    return store::Database::open(path, store::Database::Mode::ReadOnly);
}

} // namespace rs::cli
