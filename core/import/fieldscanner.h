#pragma once

#include "common/jsonnesting.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace rs::import {

/// Extracts a few top-level string fields from one JSON object in a single validating pass,
/// without building a DOM: strings are unescaped straight into their target, everything else
/// is checked and skipped. Returns false for anything it does not fully handle (invalid JSON,
/// a required field that is not a string, nesting deeper than kMaxDepth); the caller then
/// falls back to the DOM parser, which produces the exact error message.
class FieldScanner final {
public:
    struct Field {
        std::string_view key;
        std::string *out = nullptr;
        bool required = true; ///< a non-string value fails the scan; optional ones are skipped
        bool found = false;
    };

    static constexpr int kMaxDepth = kMaxJsonDepth; ///< the limit for all JSON from outside

    static bool scan(std::string_view text, Field *fields, size_t count);
};

} // namespace rs::import
