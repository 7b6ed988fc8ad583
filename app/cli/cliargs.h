#pragma once

#include "common/error.h"
#include "llm/llmscheduler.h"
#include "llm/pricetable.h"
#include "llm/providerconfig.h"
#include "store/database.h"
#include "store/projectstore.h"

#include <memory>

#include <QHash>
#include <QSet>
#include <QStringList>

#include <optional>

namespace rs::cli {

/// A command line split into positional arguments, "--name value" pairs and bare flags.
struct Args {
    QStringList positional;
    QHash<QString, QString> values;
    QSet<QString> flags;

    bool has(const QString &name) const { return values.contains(name) || flags.contains(name); }
    QString value(const QString &name, const QString &fallback = {}) const
    {
        return values.value(name, fallback);
    }
};

/// A read-only connection to a project, after opening it through the store once: that migrates
/// an older project and refuses one another studio has open. For commands that only read.
Expected<store::Database> openProjectForReading(const QString &path);

/// A project opened for writing (its store: migrated, locked) with a read-only connection of
/// its own for the reads that come first, as commands that compute and then store need.
struct OpenProject {
    std::unique_ptr<store::ProjectStore> store;
    store::Database db;
};
Expected<OpenProject> openProject(const QString &path);

/// A project opened for writing with the price table and an LLM scheduler on it: what every
/// command that calls a model starts from.
struct LlmSession {
    std::unique_ptr<store::ProjectStore> store;
    llm::PriceTable prices;
    std::unique_ptr<llm::LlmScheduler> scheduler;
};
/// Shared: without the project lock, for commands that only append while serve or the studio
/// has the project open (ProjectStore::openShared).
enum class ProjectAccess { Locked, Shared };
Expected<LlmSession> openLlmSession(const QString &path,
                                    ProjectAccess access = ProjectAccess::Locked);

/// Splits `args`; options named in `valued` take the next argument as their value.
std::optional<Args> parseArgs(const QStringList &args, const QStringList &valued, QString *error);

/// The first flag of `args` not in `known`, or an empty string.
QString unknownFlag(const Args &args, const QSet<QString> &known);

/// The options every command that calls an LLM accepts (judge, generate, refine, collect, ...):
/// --provider NAME | --base-url URL --model M, --kind, --key-env, --concurrency, --timeout-ms,
/// --retries. Append them to a command's valued options.
QStringList providerOptions();
/// The usage text of providerOptions(), for a command's --help.
QString providerUsage();

/// The provider the options name: a saved provider (with --model overriding its model) or an
/// ad-hoc OpenAI-compatible / Anthropic endpoint. `role` words the error ("judge", "proposer").
Expected<llm::ProviderConfig> providerFromArgs(const Args &args, const QString &role);

} // namespace rs::cli
