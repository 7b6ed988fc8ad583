#pragma once

#include <QString>

namespace rs::llmserver {

/// Offline stand-in for the providers' batch APIs: turns a batch input file into the result
/// file the provider would return, with the same deterministic answers as the server (no
/// faults, streaming ignored). Lines whose request the API would refuse become per-line
/// errors; a line that is not JSON or lacks custom_id fails the whole file, as an upload would.
class BatchConverter final {
public:
    enum class Format { OpenAi, Anthropic };

    static bool convert(Format format, const QString &inPath, const QString &outPath,
                        QString *error);
};

} // namespace rs::llmserver
