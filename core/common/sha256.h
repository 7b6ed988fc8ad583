#pragma once

#include <QByteArray>

#include <string>
#include <string_view>

namespace rs {

/// SHA-256 in lowercase hex, by OpenSSL: it uses the CPU's SHA instructions where there are
/// some, ~2 µs for a 3 KB judge request where QCryptographicHash's portable code takes ~14 µs.
/// Every judge call and every served reward hashes its request (the cache key) and the
/// response it fences (the nonce), so this is on the path of each call.
std::string sha256Hex(std::string_view bytes);
inline std::string sha256Hex(const QByteArray &bytes) {
    return sha256Hex(std::string_view(bytes.constData(), std::size_t(bytes.size())));
}

} // namespace rs
