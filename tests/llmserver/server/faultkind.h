#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace rs::llmserver {

/// What the server does to one model request instead of (or to) the normal answer.
enum class FaultKind {
    None,      ///< "ok": the normal answer
    Status429, ///< 429 with Retry-After and an API-shaped error body
    Status500,
    Status503,
    Stall,     ///< no answer; the connection is closed after --stall-ms
    Reset,     ///< the socket is closed with RST, nothing is sent
    Malformed, ///< 200 whose body is not JSON
    Truncated, ///< Content-Length promises more bytes than are sent, then FIN
    Fenced,    ///< a valid envelope whose content wraps the answer in a code fence and chatter
};

/// The spelling used on the command line, in scripts, in x-test-fault and in /stats.
QString faultName(FaultKind kind);
/// Accepts the names above and "ok"; nullopt for anything else.
std::optional<FaultKind> parseFault(QStringView name);
/// Every injectable kind (not None), in the order of the enum.
QList<FaultKind> allFaults();

} // namespace rs::llmserver
