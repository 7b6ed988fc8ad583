#pragma once

#include <nlohmann/json.hpp>

#include <string_view>

namespace rs {

/// Deepest nesting of arrays and objects accepted from outside (files, providers, trainers).
/// Parsing itself is iterative, but dump() and our own walks recurse: a line of 30,000 '['
/// overflows the stack there (found by fuzz_batchoutput). No real record comes near 256.
inline constexpr int kMaxJsonDepth = 256;

/// True when no array or object in `text` nests deeper than `maxDepth`; string-aware, one pass,
/// no allocation. Says nothing about validity otherwise.
bool jsonDepthWithin(std::string_view text, int maxDepth = kMaxJsonDepth);

/// json::parse without exceptions for text from outside: the discarded value when `text` is
/// not valid JSON or nests deeper than kMaxJsonDepth.
nlohmann::json parseBoundedJson(std::string_view text);

} // namespace rs
