#pragma once

#include "chatrequest.h"
#include "rejection.h"

#include <nlohmann/json.hpp>

#include <optional>

namespace rs::llmserver {

/// The parameter rules of Anthropic's Messages API (profile anthropic). Anthropic names the
/// offending field only in the message ("seed: Extra inputs are not permitted"), so
/// Rejection::param stays empty here.
class AnthropicRules final {
public:
    static std::optional<Rejection> check(const nlohmann::ordered_json &body, ChatRequest *request);
};

} // namespace rs::llmserver
