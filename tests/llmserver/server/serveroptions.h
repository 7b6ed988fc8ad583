#pragma once

#include "faultkind.h"
#include "profile.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>

namespace rs::llmserver {

/// Everything the command line can set. parse() validates and loads the --script file, so a
/// typo fails at start-up instead of silently serving no faults.
struct ServerOptions {
    quint16 port = 0; // 0: the OS chooses
    int latencyMs = 0;
    double faultRate = 0.0;
    QList<FaultKind> faults = allFaults();
    std::uint64_t seed = 1;
    int retryAfterSeconds = 1;
    int stallMs = 60000;
    QList<FaultKind> script;
    bool verbose = false;
    Profile profile = Profile::Lenient;
    int refuseEvery = 0;         // --refuse K: every K-th answer is a refusal (0: never)
    bool obeyInjections = false; // the judge obeys instructions outside the fences
    int contextTokens = 8192;    // vllm/llamacpp: prompt + max tokens must fit

    QString batchOpenAiIn;
    QString batchAnthropicIn;
    QString batchOut;

    bool isBatch() const { return !batchOpenAiIn.isEmpty() || !batchAnthropicIn.isEmpty(); }

    /// Parses arguments (args[0] is the program). On failure returns nullopt and sets *error;
    /// for --help, returns nullopt with *error empty and *helpText set.
    static std::optional<ServerOptions> parse(const QStringList &args, QString *error,
                                              QString *helpText);
};

} // namespace rs::llmserver
