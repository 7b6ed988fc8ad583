#include "modelcapabilities.h"
#include "common/boundedjson.h"

#include <QJsonArray>

#include <nlohmann/json.hpp>

#include <array>

namespace rs::llm {
namespace {

/// The parameter a rejection is about: the `param` field when the API gives one (OpenAI), else
/// the first known parameter named in the message (Anthropic names it only in the text:
/// "`temperature` is deprecated for this model.", "seed: Extra inputs are not permitted").
QString rejectedParameter(std::string_view body, QString *message) {
    const nlohmann::json j = parseBoundedJson(body);
    QString param;
    if (j.is_object()) {
        const auto e = j.find("error");
        if (e != j.end() && e->is_object()) {
            if (auto m = e->find("message"); m != e->end() && m->is_string())
                *message = QString::fromStdString(m->get<std::string>());
            if (auto p = e->find("param"); p != e->end() && p->is_string())
                param = QString::fromStdString(p->get<std::string>());
        } else if (e != j.end() && e->is_string()) {
            *message = QString::fromStdString(e->get<std::string>());
        }
    }
    if (message->isEmpty())
        *message = QString::fromUtf8(body.data(), qsizetype(std::min<size_t>(body.size(), 400)));
    if (!param.isEmpty())
        return param;
    // Longest names first: "max_completion_tokens" before "max_tokens", "top_logprobs" before
    // "logprobs".
    static const std::array<const char *, 14> known{"max_completion_tokens",
                                                    "reasoning_effort",
                                                    "response_format",
                                                    "top_logprobs",
                                                    "budget_tokens",
                                                    "output_config",
                                                    "tool_choice",
                                                    "temperature",
                                                    "max_tokens",
                                                    "logprobs",
                                                    "thinking",
                                                    "top_p",
                                                    "top_k",
                                                    "seed"};
    qsizetype best = -1;
    for (const char *name : known) {
        const qsizetype at = message->indexOf(QLatin1String(name));
        if (at >= 0 && (best < 0 || at < best)) {
            param = QLatin1String(name);
            best = at;
        }
    }
    return param;
}

QString quotedValue(const QString &message) {
    // "does not support 'minimal' with this model" -> minimal
    const qsizetype s = message.indexOf(QLatin1String("support '"));
    if (s < 0)
        return {};
    const qsizetype from = s + 9;
    const qsizetype to = message.indexOf(QLatin1Char('\''), from);
    return to > from ? message.mid(from, to - from) : QString();
}

} // namespace

ModelCapabilities ModelCapabilities::defaultsFor(ProviderKind kind) {
    ModelCapabilities c;
    if (kind == ProviderKind::Anthropic) {
        c.temperatureMax = 1.0;
        c.seed = false;     // Anthropic has none: votes differ by sampling, and by cache key
        c.logprobs = false; // no token probabilities: P(yes) is the share of yes votes
        c.jsonObject = false;
    }
    return c;
}

bool ModelCapabilities::learn(ProviderKind kind, int status, std::string_view body) {
    QString message;
    const QString param = rejectedParameter(body, &message);
    const QString lower = message.toLower();
    auto lesson = [&](bool &flag, bool value, const QString &what) {
        if (flag == value)
            return false;
        flag = value;
        lessons << what;
        return true;
    };

    if (kind == ProviderKind::OpenAiCompatible && lower.contains(QLatin1String("v1/responses")))
        return lesson(responsesApi, true, QStringLiteral("served only by the Responses API")) |
               lesson(seed, false, QStringLiteral("no seed on the Responses API")) |
               lesson(logprobs, false, QStringLiteral("no logprobs on the Responses API"));
    if (status != 400 && status != 403 && status != 422)
        return false;
    if (lower.contains(QLatin1String("tool_choice forces tool use")) ||
        lower.contains(QLatin1String("thinking may not be enabled")))
        return thinkingOffForTools
                   ? lesson(tools, false, QStringLiteral("no forced tool use"))
                   : lesson(thinkingOffForTools, true,
                            QStringLiteral("thinks by default: thinking off for forced tools"));
    if (lower.contains(QLatin1String("thinking type 'enabled'")) ||
        (param == QLatin1String("thinking") && lower.contains(QLatin1String("adaptive"))))
        return lesson(thinkingEnabled, false,
                      QStringLiteral("thinking budgets refused: adaptive thinking"));
    if (param == QLatin1String("max_tokens") && kind == ProviderKind::OpenAiCompatible)
        return lesson(maxCompletionTokens, true,
                      QStringLiteral("max_completion_tokens instead of max_tokens"));
    if (param == QLatin1String("max_completion_tokens"))
        return lesson(maxCompletionTokens, false,
                      QStringLiteral("max_tokens instead of max_completion_tokens"));
    if (param == QLatin1String("temperature") || param == QLatin1String("top_p") ||
        param == QLatin1String("top_k")) {
        // A range error keeps the temperature inside the range; anything else drops it.
        if ((lower.contains(QLatin1String("range")) || lower.contains(QLatin1String("between"))) &&
            !lower.contains(QLatin1String("support")) && temperatureMax > 1.0) {
            temperatureMax = 1.0;
            lessons << QStringLiteral("temperature up to 1");
            return true;
        }
        return lesson(temperature, false, QStringLiteral("no temperature"));
    }
    if (lower.contains(QLatin1String("temperature")) && lower.contains(QLatin1String("thinking")))
        return lesson(temperature, false, QStringLiteral("no temperature"));
    if (param == QLatin1String("seed"))
        return lesson(seed, false, QStringLiteral("no seed"));
    if (param == QLatin1String("logprobs") || param == QLatin1String("top_logprobs"))
        return lesson(logprobs, false, QStringLiteral("no logprobs"));
    if (param == QLatin1String("reasoning_effort") || param == QLatin1String("reasoning.effort") ||
        param == QLatin1String("effort")) {
        const QString value = quotedValue(message);
        if (!value.isEmpty() && !refusedEfforts.contains(value)) {
            refusedEfforts << value;
            lessons << QStringLiteral("reasoning effort %1 refused").arg(value);
            return true;
        }
        return lesson(reasoningEffort, false, QStringLiteral("no reasoning effort"));
    }
    if (param == QLatin1String("response_format") || param == QLatin1String("text.format")) {
        if (jsonSchema)
            return lesson(jsonSchema, false, QStringLiteral("no json_schema output"));
        return lesson(jsonObject, false, QStringLiteral("no json_object output"));
    }
    if (param == QLatin1String("output_config"))
        return lesson(jsonSchema, false, QStringLiteral("no native structured output"));
    if (param == QLatin1String("tools") || param == QLatin1String("tool_choice"))
        return lesson(tools, false, QStringLiteral("no forced tool use"));
    return false;
}

QJsonObject ModelCapabilities::toJson() const {
    return QJsonObject{
        {QStringLiteral("responses_api"), responsesApi},
        {QStringLiteral("max_completion_tokens"), maxCompletionTokens},
        {QStringLiteral("temperature"), temperature},
        {QStringLiteral("temperature_max"), temperatureMax},
        {QStringLiteral("seed"), seed},
        {QStringLiteral("logprobs"), logprobs},
        {QStringLiteral("json_schema"), jsonSchema},
        {QStringLiteral("json_object"), jsonObject},
        {QStringLiteral("tools"), tools},
        {QStringLiteral("reasoning_effort"), reasoningEffort},
        {QStringLiteral("refused_efforts"), QJsonArray::fromStringList(refusedEfforts)},
        {QStringLiteral("thinking_enabled"), thinkingEnabled},
        {QStringLiteral("thinking_off_for_tools"), thinkingOffForTools},
        {QStringLiteral("lessons"), QJsonArray::fromStringList(lessons)}};
}

ModelCapabilities ModelCapabilities::fromJson(ProviderKind kind, const QJsonObject &o) {
    ModelCapabilities c = defaultsFor(kind);
    auto flag = [&](const char *key, bool &field) {
        const auto v = o.value(QLatin1String(key));
        if (v.isBool())
            field = v.toBool();
    };
    flag("responses_api", c.responsesApi);
    flag("max_completion_tokens", c.maxCompletionTokens);
    flag("temperature", c.temperature);
    flag("seed", c.seed);
    flag("logprobs", c.logprobs);
    flag("json_schema", c.jsonSchema);
    flag("json_object", c.jsonObject);
    flag("tools", c.tools);
    flag("reasoning_effort", c.reasoningEffort);
    flag("thinking_enabled", c.thinkingEnabled);
    flag("thinking_off_for_tools", c.thinkingOffForTools);
    if (o.value(QStringLiteral("temperature_max")).isDouble())
        c.temperatureMax = o.value(QStringLiteral("temperature_max")).toDouble();
    for (const auto &v : o.value(QStringLiteral("refused_efforts")).toArray())
        c.refusedEfforts << v.toString();
    for (const auto &v : o.value(QStringLiteral("lessons")).toArray())
        c.lessons << v.toString();
    return c;
}

} // namespace rs::llm
