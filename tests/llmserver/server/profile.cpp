#include "profile.h"

namespace rs::llmserver {

namespace {
struct ProfileEntry {
    Profile profile;
    QLatin1StringView name;
};
const ProfileEntry kProfiles[] = {
    {Profile::Lenient, QLatin1StringView("lenient")},
    {Profile::OpenAi, QLatin1StringView("openai")},
    {Profile::Anthropic, QLatin1StringView("anthropic")},
    {Profile::Vllm, QLatin1StringView("vllm")},
    {Profile::LlamaCpp, QLatin1StringView("llamacpp")},
};
} // namespace

std::optional<Profile> parseProfile(const QString &name) {
    for (const ProfileEntry &e : kProfiles)
        if (name.compare(e.name, Qt::CaseInsensitive) == 0)
            return e.profile;
    return std::nullopt;
}

QString profileName(Profile profile) {
    for (const ProfileEntry &e : kProfiles)
        if (e.profile == profile)
            return e.name;
    return QStringLiteral("lenient");
}

ModelFamily modelFamily(const QString &model) {
    // Longest prefixes first would matter only if one family's prefix began another's.
    if (model.startsWith(QLatin1StringView("rs-responses-only")))
        return ModelFamily::ResponsesOnly;
    if (model.startsWith(QLatin1StringView("rs-reasoning")))
        return ModelFamily::Reasoning;
    if (model.startsWith(QLatin1StringView("rs-hybrid")))
        return ModelFamily::Hybrid;
    if (model.startsWith(QLatin1StringView("rs-claude-new")))
        return ModelFamily::ClaudeNew;
    return ModelFamily::Classic;
}

} // namespace rs::llmserver
