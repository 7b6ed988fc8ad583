#pragma once

#include "common/error.h"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <string_view>

namespace rs::llm {

enum class JsonShape { Any, Object, Array };

/// Finds the JSON a model meant in its answer: the whole text, else a ```json fenced block,
/// else the first balanced {...} or [...] that parses, skipping chatter around it. Callers
/// keep the raw text themselves for inspection; the error says what was looked for.
Expected<nlohmann::json> extractJson(std::string_view text, JsonShape shape = JsonShape::Any);

/// A JSON answer cut off by the token limit, made whole: an open string is closed (a dangling
/// escape dropped), a trailing comma or a key without its value dropped, and every open array
/// and object closed, innermost first. Only for an answer
/// known to be cut, whose decisive fields come first (the oracle's "better"); the tail it
/// closes is what the model had written, not a guess. Text that never opened a value is
/// returned as it was.
std::string closeCutJson(std::string_view text);

/// Checks that `value` is an array of objects that each have string `textField` and, when
/// given, a number `numberField`. Names the first offending element.
Expected<void> requireArrayOfObjects(const nlohmann::json &value, const char *textField,
                                     const char *numberField = nullptr);

} // namespace rs::llm
