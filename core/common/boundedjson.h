#pragma once

#include "jsonnesting.h"

#include <nlohmann/json.hpp>

#include <string_view>

namespace rs {

/// True when no array or object in `text` nests deeper than `maxDepth`; string-aware, one pass,
/// no allocation. Says nothing about validity otherwise.
bool jsonDepthWithin(std::string_view text, int maxDepth = kMaxJsonDepth);

/// json::parse without exceptions for text from outside: the discarded value when `text` is
/// not valid JSON or nests deeper than kMaxJsonDepth.
nlohmann::json parseBoundedJson(std::string_view text);

} // namespace rs
