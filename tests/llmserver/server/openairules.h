#pragma once

#include "chatrequest.h"
#include "profile.h"
#include "rejection.h"

#include <nlohmann/json.hpp>

#include <optional>

namespace rs::llmserver {

/// The parameter rules of OpenAI-shaped APIs under a profile: OpenAI chat completions and
/// Responses, vLLM and llama.cpp's llama-server. Each check reads the parameters it accepts
/// into ChatRequest::gen and returns the rejection the real server would send, if any.
class OpenAiRules final {
public:
    static std::optional<Rejection> chat(Profile profile, const nlohmann::ordered_json &body,
                                         ChatRequest *request, int contextTokens);
    static std::optional<Rejection> responses(const nlohmann::ordered_json &body,
                                              ChatRequest *request);
};

} // namespace rs::llmserver
