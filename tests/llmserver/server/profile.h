#pragma once

#include <QString>

#include <optional>

namespace rs::llmserver {

/// Which real API the server imitates. Lenient is the original test double: it accepts anything
/// well-formed and ignores sampling parameters. The others enforce the parameter rules of the
/// real service, so a client that would be refused in production is refused here too.
enum class Profile { Lenient, OpenAi, Anthropic, Vllm, LlamaCpp };

std::optional<Profile> parseProfile(const QString &name);
QString profileName(Profile profile);

/// Model families, chosen by name prefix as real APIs choose behaviour by model.
enum class ModelFamily {
    Classic,       // gpt-4o-like: sampling parameters, seed, logprobs
    Reasoning,     // "rs-reasoning*": o-series rules
    ResponsesOnly, // "rs-responses-only*": o3-pro-like, only on /v1/responses (and reasoning)
    Hybrid,        // "rs-hybrid*": gpt-5.1-like, effort "none" by default and then sampling
                   // parameters and logprobs are allowed
    ClaudeNew,     // "rs-claude-new*": no temperature/top_p/top_k, adaptive thinking only
};
ModelFamily modelFamily(const QString &model);
/// Reasoning and Responses-only models both think before answering.
inline bool isReasoning(ModelFamily f) {
    return f == ModelFamily::Reasoning || f == ModelFamily::ResponsesOnly ||
           f == ModelFamily::Hybrid;
}

} // namespace rs::llmserver
