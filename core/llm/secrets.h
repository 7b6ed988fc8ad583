#pragma once

#include <QString>

namespace rs::llm {

/// Remembers a key value in use (resolved from the environment or the keychain) so that every
/// text leaving the process can be cleaned of it. Keys shorter than 8 characters are not
/// remembered: replacing them would mangle ordinary words.
void registerSecret(const QString &key);

/// The one redaction for every error text that is stored, logged or printed: the key values in
/// use, and anything shaped like a key (sk-…, Bearer …, x-api-key: …, api_key=…).
QString redactSecrets(const QString &text);

} // namespace rs::llm
