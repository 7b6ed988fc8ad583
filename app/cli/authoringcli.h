#pragma once

#include "cliargs.h"
#include "common/error.h"
#include "llm/costpreview.h"

#include <QList>
#include <QString>

#include <optional>

namespace rs::cli {

/// "all" → empty list; "3,5,8" → ids. nullopt on a malformed list.
std::optional<QList<qint64>> parseIdList(const QString &text);

/// Prints a cost preview line on stderr, the same form for every authoring command.
void printPreview(const QString &what, const llm::CostPreview &preview);

/// The judge provider of `refine`: the --judge-* options layered over the proposer's.
Expected<llm::ProviderConfig> judgeProviderFromArgs(const Args &args);
/// --judge-provider, --judge-base-url, --judge-model, ... (valued options).
QStringList judgeProviderOptions();

} // namespace rs::cli
