#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace rs::import {

/// Offset of the first byte that is not valid UTF-8 (overlongs and surrogates included),
/// or npos when the whole text is valid.
size_t firstInvalidUtf8(std::string_view text);

/// Number of code points in valid UTF-8 (what a user would call the length in characters).
std::int64_t codePointCount(std::string_view text);

/// A 64-bit content hash used to spot duplicate responses. Stable across runs and platforms,
/// because it is stored in the project.
std::int64_t contentHash(std::string_view text);

} // namespace rs::import
