#include "anthropicrules.h"

#include "profile.h"

namespace rs::llmserver {

using nlohmann::ordered_json;

namespace {

Rejection anInvalid(const QString &message) {
    return {400, message, QString(), QString()};
}

// Top-level fields of the Messages API; anything else is refused by its request validation.
const char *const kAnFields[] = {
    "model",
    "messages",
    "max_tokens",
    "system",
    "temperature",
    "top_p",
    "top_k",
    "stop_sequences",
    "stream",
    "metadata",
    "tools",
    "tool_choice",
    "thinking",
    "output_config",
    "service_tier",
    "cache_control",
    "container",
    "mcp_servers",
    "context_management",
};

bool anKnownField(const std::string &name) {
    for (const char *f : kAnFields)
        if (name == f)
            return true;
    return false;
}

} // namespace

std::optional<Rejection> AnthropicRules::check(const ordered_json &body, ChatRequest *request) {
    GenerationParams &gen = request->gen;
    for (auto it = body.begin(); it != body.end(); ++it)
        if (!anKnownField(it.key()))
            return anInvalid(QStringLiteral("%1: Extra inputs are not permitted")
                                 .arg(QString::fromStdString(it.key())));

    const auto maxTokens = body.find("max_tokens");
    if (maxTokens == body.end())
        return anInvalid(QStringLiteral("max_tokens: Field required"));
    if (!maxTokens->is_number_integer() || maxTokens->get<qint64>() < 1)
        return anInvalid(QStringLiteral("max_tokens: Input should be a valid integer greater than "
                                        "or equal to 1"));
    gen.maxTokens = maxTokens->get<qint64>();

    const bool newModel = modelFamily(request->model) == ModelFamily::ClaudeNew;
    for (const char *sampling : {"temperature", "top_p", "top_k"}) {
        if (newModel && body.contains(sampling))
            return anInvalid(QStringLiteral("`%1` is deprecated for this model.")
                                 .arg(QLatin1StringView(sampling)));
    }
    if (const auto t = body.find("temperature"); t != body.end()) {
        if (!t->is_number())
            return anInvalid(QStringLiteral("temperature: Input should be a valid number"));
        const double v = t->get<double>();
        if (v < 0.0)
            return anInvalid(
                QStringLiteral("temperature: Input should be greater than or equal to 0"));
        if (v > 1.0)
            return anInvalid(
                QStringLiteral("temperature: Input should be less than or equal to 1"));
        gen.temperature = v;
    }
    if (const auto p = body.find("top_p");
        p != body.end() && (!p->is_number() || p->get<double>() < 0 || p->get<double>() > 1))
        return anInvalid(QStringLiteral("top_p: Input should be less than or equal to 1"));

    // Thinking: "enabled" with a budget on older models, "adaptive" on the new ones, which
    // also think adaptively when "thinking" is left out.
    bool thinking = newModel;
    if (const auto th = body.find("thinking"); th != body.end()) {
        const std::string type = th->is_object() ? th->value("type", std::string()) : "";
        if (type == "enabled") {
            if (newModel)
                return anInvalid(
                    QStringLiteral("thinking.type: 'enabled' is not supported for this "
                                   "model. Use 'adaptive' instead."));
            const auto budget = th->find("budget_tokens");
            if (budget == th->end() || !budget->is_number_integer())
                return anInvalid(QStringLiteral("thinking.enabled.budget_tokens: Field required"));
            gen.thinkingBudget = budget->get<qint64>();
            if (gen.thinkingBudget < 1024)
                return anInvalid(QStringLiteral("thinking.enabled.budget_tokens: Input should be "
                                                "greater than or equal to 1024"));
            if (gen.thinkingBudget >= *gen.maxTokens)
                return anInvalid(QStringLiteral("`max_tokens` must be greater than "
                                                "`thinking.budget_tokens`."));
            if (gen.temperature && *gen.temperature != 1.0)
                return anInvalid(
                    QStringLiteral("`temperature` may only be set to 1 when thinking is "
                                   "enabled."));
            thinking = true;
        } else if (type == "adaptive") {
            if (!newModel)
                return anInvalid(
                    QStringLiteral("thinking.type: 'adaptive' is not supported for this "
                                   "model."));
            gen.adaptiveThinking = true;
            thinking = true;
        } else if (type == "disabled") {
            thinking = false;
        } else {
            return anInvalid(
                QStringLiteral("thinking.type: Input should be 'enabled', 'adaptive' or "
                               "'disabled'"));
        }
    } else if (newModel) {
        gen.adaptiveThinking = true;
    }

    if (const auto oc = body.find("output_config"); oc != body.end()) {
        if (!oc->is_object())
            return anInvalid(QStringLiteral("output_config: Input should be a valid dictionary"));
        if (const auto effort = oc->find("effort"); effort != oc->end()) {
            static const QStringList kEfforts = {QStringLiteral("low"), QStringLiteral("medium"),
                                                 QStringLiteral("high"), QStringLiteral("xhigh"),
                                                 QStringLiteral("max")};
            const QString e = effort->is_string()
                                  ? QString::fromStdString(effort->get<std::string>())
                                  : QString();
            if (!kEfforts.contains(e))
                return anInvalid(QStringLiteral("output_config.effort: Input should be 'low', "
                                                "'medium', 'high', 'xhigh' or 'max'"));
            gen.effort = e;
        }
        if (const auto format = oc->find("format"); format != oc->end()) {
            if (!format->is_object() || format->value("type", std::string()) != "json_schema")
                return anInvalid(QStringLiteral("output_config.format.type: Input should be "
                                                "'json_schema'"));
            const auto schema = format->find("schema");
            if (schema == format->end() || !schema->is_object())
                return anInvalid(QStringLiteral("output_config.format.schema: Field required"));
            gen.schema = *schema;
        }
    }

    if (const auto choice = body.find("tool_choice"); choice != body.end() && choice->is_object()) {
        const std::string type = choice->value("type", std::string());
        const bool forced = type == "tool" || type == "any";
        if (forced && thinking)
            return anInvalid(QStringLiteral("Thinking may not be enabled when tool_choice forces "
                                            "tool use."));
        if (forced) {
            const std::string wanted = choice->value("name", std::string());
            const auto tools = body.find("tools");
            if (tools != body.end() && tools->is_array()) {
                for (const auto &tool : *tools) {
                    if (!tool.is_object())
                        continue;
                    const std::string name = tool.value("name", std::string());
                    if (type == "any" || name == wanted) {
                        gen.forcedTool = true;
                        gen.toolName = QString::fromStdString(name);
                        gen.schema = tool.value("input_schema", ordered_json::object());
                        break;
                    }
                }
            }
            if (!gen.forcedTool)
                return anInvalid(QStringLiteral("tool_choice: the forced tool is not in tools"));
        }
    }
    if (thinking && gen.thinkingBudget == 0)
        gen.adaptiveThinking = true;
    return std::nullopt;
}

} // namespace rs::llmserver
