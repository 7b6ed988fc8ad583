#pragma once

#include "common/error.h"
#include "llm/llmrequest.h"
#include "llm/providerconfig.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace rs::batch {

/// Provider batch file formats.
enum class BatchFormat {
    OpenAi,   ///< OpenAI Batch API input: {custom_id, method, url, body} per line
    Anthropic ///< Anthropic Message Batches: {custom_id, params} per request
};

QString formatName(BatchFormat format); ///< "openai" / "anthropic"
std::optional<BatchFormat> formatFromName(const QString &name);

/// Per-file limits of the provider (a file over either is split).
struct BatchLimits final {
    qint64 maxRequests = 0;
    qint64 maxBytes = 0;
    static BatchLimits forFormat(BatchFormat format); ///< OpenAI 50,000 / 200 MB; Anthropic 100,000 / 256 MB
};

/// One request of a batch: any job's request (judge, generation, ...) with its custom_id.
struct BatchItem final {
    QString customId;
    llm::LlmRequest request;
};

/// Writes batch input files: one line per request, the body exactly what a live call sends
/// (so a provider's answer is the answer to the cached request), split into files of at most
/// `limits`. Files are named PREFIX-001.jsonl, PREFIX-002.jsonl, ... in `dir`.
/// `fileOfItem` (optional) receives, per item, the index of the file it went to.
Expected<QStringList> writeBatchFiles(const llm::ProviderConfig &provider, BatchFormat format,
                                      const std::vector<BatchItem> &items, const QString &dir,
                                      const QString &prefix, const BatchLimits &limits,
                                      std::vector<int> *fileOfItem = nullptr);

/// One line of a provider's batch output file.
struct BatchAnswer final {
    QString customId;
    qint64 line = 0;
    bool ok = false;
    QString text; ///< the assistant's text when ok
    qint64 tokensIn = 0;
    qint64 tokensOut = 0;
    QString error; ///< why not ok
};

/// Reads a batch output file (either provider's shape). Lines that do not parse (a truncated
/// download) or have no custom_id are reported as FILE:LINE in `problems`; the rest are read.
Expected<std::vector<BatchAnswer>> readBatchOutput(const QString &file, QStringList *problems);

} // namespace rs::batch
