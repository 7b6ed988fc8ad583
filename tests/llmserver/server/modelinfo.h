#pragma once

#include "profile.h"

#include <QString>

#include <nlohmann/json.hpp>

namespace rs::llmserver {

/// GET /v1/models/{id} under a profile: the model object of that API. Anthropic's carries
/// `capabilities` (structured outputs, thinking types, effort levels) derived from the model
/// family, which is what a client probes before deciding what to send.
class ModelInfo final {
public:
    static nlohmann::ordered_json describe(Profile profile, const QString &id);
};

} // namespace rs::llmserver
