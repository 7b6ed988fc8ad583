#include "sha256.h"

#include <array>
#include <cstdint>
#include <openssl/evp.h>

namespace rs {

std::string sha256Hex(std::string_view bytes) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    // EVP_Digest cannot fail for SHA-256 on memory we own; a zero size would show as "".
    EVP_Digest(bytes.data(), bytes.size(), digest.data(), &size, EVP_sha256(), nullptr);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex(std::size_t(size) * 2, '0');
    for (unsigned int i = 0; i < size; ++i) {
        hex[2 * i] = kHex[digest[i] >> 4];
        hex[2 * i + 1] = kHex[digest[i] & 0xf];
    }
    return hex;
}

} // namespace rs
