#include "modelinfo.h"

namespace rs::llmserver {

using nlohmann::ordered_json;

namespace {
ordered_json infoSupported(bool yes) {
    return {{"supported", yes}};
}
} // namespace

ordered_json ModelInfo::describe(Profile profile, const QString &id) {
    const std::string name = id.toStdString();
    if (profile != Profile::Anthropic)
        return {
            {"id", name}, {"object", "model"}, {"created", 0}, {"owned_by", "rubric-studio-tests"}};
    const bool isNew = modelFamily(id) == ModelFamily::ClaudeNew;
    // Older models think with a budget ("enabled"); new ones only adaptively, with effort.
    return {
        {"type", "model"},
        {"id", name},
        {"display_name", name},
        {"created_at", "2026-01-01T00:00:00Z"},
        {"capabilities",
         {{"structured_outputs", infoSupported(true)},
          {"thinking",
           {{"supported", true},
            {"types", {{"enabled", infoSupported(!isNew)}, {"adaptive", infoSupported(isNew)}}}}},
          {"effort",
           {{"supported", isNew},
            {"low", infoSupported(isNew)},
            {"medium", infoSupported(isNew)},
            {"high", infoSupported(isNew)},
            {"xhigh", infoSupported(isNew)},
            {"max", infoSupported(isNew)}}}}}};
}

} // namespace rs::llmserver
