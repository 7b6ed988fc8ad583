#pragma once

#include "providerconfig.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <string_view>

namespace rs::llm {

/// What one model of one provider accepts. Provider rules change with every model release, so
/// none of this comes from model names: it starts from what the API kind generally takes, is
/// refined by a probe (the Providers dialog's Test, `providers probe`) and is learned during a
/// run from each rejection that names a parameter. Stored per provider and model
/// (CapabilityStore), so a second run sends neither a probe nor a rejected request.
struct ModelCapabilities final {
    bool responsesApi = false;        ///< OpenAI: served only by POST /responses
    bool maxCompletionTokens = false; ///< OpenAI: max_completion_tokens instead of max_tokens
    bool temperature = true;          ///< accepts a temperature at all
    double temperatureMax = 2.0;      ///< OpenAI 0..2, Anthropic 0..1
    bool seed = true;
    bool logprobs = true;
    bool jsonSchema = true;      ///< native structured output with a schema
    bool jsonObject = true;      ///< OpenAI json_object mode
    bool tools = true;           ///< forced tool use (Anthropic structured output by tool)
    bool reasoningEffort = true; ///< takes a reasoning effort (OpenAI reasoning_effort, Anthropic
                                 ///< output_config.effort)
    QStringList refusedEfforts;  ///< effort values the model refused
    bool thinkingEnabled = true; ///< Anthropic thinking {type: enabled, budget_tokens}
    bool thinkingOffForTools =
        false;           ///< Anthropic: thinks by default, so a forced tool needs thinking disabled
    QStringList lessons; ///< what was learned, in words, for the Providers dialog and logs

    static ModelCapabilities defaultsFor(ProviderKind kind);

    /// Learns from a rejected request (HTTP 400/403/404/422 and its body): changes what the next
    /// request carries and returns true, or returns false when the answer names nothing we can
    /// change (then the request fails as it is).
    bool learn(ProviderKind kind, int status, std::string_view body);

    QJsonObject toJson() const;
    static ModelCapabilities fromJson(ProviderKind kind, const QJsonObject &o);
    bool operator==(const ModelCapabilities &) const = default;
};

} // namespace rs::llm
