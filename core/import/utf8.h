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

/// A criterion's content hash: text, weight (std::to_string) and category joined by U+001F,
/// then the check and a veto mark only when present, so criteria stored before checks existed
/// keep their hashes. The import and rubric versions both hash through this.
std::int64_t criterionContentHash(std::string_view text, double weight, std::string_view category,
                                  std::string_view checkJson = {}, bool veto = false);

} // namespace rs::import
