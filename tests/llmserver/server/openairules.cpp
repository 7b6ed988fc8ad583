#include "openairules.h"

#include <QSet>

namespace rs::llmserver {

using nlohmann::ordered_json;

namespace {

Rejection oaUnsupportedParameter(const QString &param, const QString &hint = {}) {
    QString message =
        QStringLiteral("Unsupported parameter: '%1' is not supported with this model.").arg(param);
    if (!hint.isEmpty())
        message += QLatin1Char(' ') + hint;
    return {400, message, param, QStringLiteral("unsupported_parameter")};
}

Rejection oaUnsupportedValue(const QString &param, const QString &message) {
    return {400, QStringLiteral("Unsupported value: '%1' %2").arg(param, message), param,
            QStringLiteral("unsupported_value")};
}

Rejection oaInvalid(const QString &param, const QString &message,
                    const QString &code = QStringLiteral("invalid_value")) {
    return {400, QStringLiteral("Invalid '%1': %2").arg(param, message), param, code};
}

QString oaNumberText(double v) {
    return QString::number(v, 'g', 12);
}

// A number in [low, high], read into *out; absent leaves *out empty.
std::optional<Rejection> oaRange(const ordered_json &body, const char *name, double low,
                                 double high, std::optional<double> *out) {
    const auto it = body.find(name);
    if (it == body.end() || it->is_null())
        return std::nullopt;
    const QString param = QString::fromLatin1(name);
    if (!it->is_number())
        return oaInvalid(param, QStringLiteral("expected a number."),
                         QStringLiteral("invalid_type"));
    const double v = it->get<double>();
    if (v < low)
        return oaInvalid(param,
                         QStringLiteral("decimal below minimum value. Expected a value >= %1, but "
                                        "got %2 instead.")
                             .arg(oaNumberText(low), oaNumberText(v)),
                         QStringLiteral("decimal_below_min_value"));
    if (v > high)
        return oaInvalid(param,
                         QStringLiteral("decimal above maximum value. Expected a value <= %1, but "
                                        "got %2 instead.")
                             .arg(oaNumberText(high), oaNumberText(v)),
                         QStringLiteral("decimal_above_max_value"));
    *out = v;
    return std::nullopt;
}

std::optional<Rejection> oaInteger(const ordered_json &body, const char *name, qint64 low,
                                   std::optional<qint64> *out) {
    const auto it = body.find(name);
    if (it == body.end() || it->is_null())
        return std::nullopt;
    const QString param = QString::fromLatin1(name);
    if (!it->is_number_integer())
        return oaInvalid(param, QStringLiteral("expected an integer."),
                         QStringLiteral("invalid_type"));
    const qint64 v = it->get<qint64>();
    if (v < low)
        return oaInvalid(param,
                         QStringLiteral("integer below minimum value. Expected a value >= %1, but "
                                        "got %2 instead.")
                             .arg(low)
                             .arg(v),
                         QStringLiteral("integer_below_min_value"));
    *out = v;
    return std::nullopt;
}

// Strict structured output needs closed objects whose every property is required; OpenAI
// refuses the schema otherwise, before generating anything.
std::optional<QString> oaStrictProblem(const ordered_json &schema, const QString &context) {
    if (!schema.is_object())
        return std::nullopt;
    if (schema.value("type", ordered_json()) == "object" || schema.contains("properties")) {
        const auto additional = schema.find("additionalProperties");
        if (additional == schema.end() || *additional != false)
            return QStringLiteral("In context=(%1), 'additionalProperties' is required to be "
                                  "supplied and to be false.")
                .arg(context);
        QSet<QString> required;
        if (const auto r = schema.find("required"); r != schema.end() && r->is_array())
            for (const auto &name : *r)
                if (name.is_string())
                    required.insert(QString::fromStdString(name.get<std::string>()));
        if (const auto props = schema.find("properties");
            props != schema.end() && props->is_object()) {
            for (auto it = props->begin(); it != props->end(); ++it) {
                const QString key = QString::fromStdString(it.key());
                if (!required.contains(key))
                    return QStringLiteral("In context=(%1), 'required' is required to be supplied "
                                          "and to be an array including every key in properties. "
                                          "Missing '%2'.")
                        .arg(context, key);
                const QString inner =
                    context.isEmpty() ? QStringLiteral("'properties', '%1'").arg(key)
                                      : context + QStringLiteral(", 'properties', '%1'").arg(key);
                if (auto problem = oaStrictProblem(it.value(), inner))
                    return problem;
            }
        }
    }
    if (const auto items = schema.find("items"); items != schema.end())
        return oaStrictProblem(*items, context.isEmpty() ? QStringLiteral("'items'")
                                                         : context + QStringLiteral(", 'items'"));
    return std::nullopt;
}

// OpenAI's nested json_schema form, shared by chat's response_format and Responses'
// text.format (which has name/schema/strict at the top level of "format").
std::optional<Rejection> oaSchemaForm(const ordered_json &holder, const QString &param,
                                      const QString &rootParam, bool strictChecks,
                                      ChatRequest *request) {
    const auto name = holder.find("name");
    const auto schema = holder.find("schema");
    if (name == holder.end() || !name->is_string())
        return Rejection{400, QStringLiteral("Missing required parameter: '%1.name'.").arg(param),
                         param + QStringLiteral(".name"),
                         QStringLiteral("missing_required_parameter")};
    if (schema == holder.end() || !schema->is_object())
        return Rejection{400, QStringLiteral("Missing required parameter: '%1.schema'.").arg(param),
                         param + QStringLiteral(".schema"),
                         QStringLiteral("missing_required_parameter")};
    if (strictChecks && holder.value("strict", false)) {
        if (const auto problem = oaStrictProblem(*schema, QString()))
            return Rejection{
                400,
                QStringLiteral("Invalid schema for %1 '%2': %3")
                    .arg(rootParam, QString::fromStdString(name->get<std::string>()), *problem),
                rootParam, QStringLiteral("invalid_json_schema")};
    }
    request->gen.schema = *schema;
    return std::nullopt;
}

std::optional<Rejection> oaResponseFormat(Profile profile, const ordered_json &body,
                                          ChatRequest *request) {
    const auto rf = body.find("response_format");
    if (rf == body.end() || rf->is_null())
        return std::nullopt;
    if (!rf->is_object() || !rf->contains("type"))
        return oaInvalid(QStringLiteral("response_format"),
                         QStringLiteral("expected an object with a 'type'."),
                         QStringLiteral("invalid_type"));
    const std::string type = rf->value("type", std::string());
    if (type == "text" || type == "json_object")
        return std::nullopt;
    if (type != "json_schema")
        return oaInvalid(QStringLiteral("response_format.type"),
                         QStringLiteral("must be one of 'text', 'json_object', 'json_schema'."));
    const auto nested = rf->find("json_schema");
    if (nested == rf->end() || !nested->is_object()) {
        // vLLM and llama-server ignore the flat {"type":"json_schema","schema":...} form
        // silently, answering unconstrained; OpenAI names the missing field.
        if (profile != Profile::OpenAi)
            return std::nullopt;
        return Rejection{
            400, QStringLiteral("Missing required parameter: 'response_format.json_schema'."),
            QStringLiteral("response_format.json_schema"),
            QStringLiteral("missing_required_parameter")};
    }
    return oaSchemaForm(*nested, QStringLiteral("response_format.json_schema"),
                        QStringLiteral("response_format"), profile == Profile::OpenAi, request);
}

// Reasoning models take minimal..high; hybrid ones (gpt-5.1-like) none..xhigh but not minimal.
std::optional<Rejection> oaEffort(const QString &param, const ordered_json &value, bool hybrid,
                                  ChatRequest *request) {
    static const QStringList kReasoning = {QStringLiteral("minimal"), QStringLiteral("low"),
                                           QStringLiteral("medium"), QStringLiteral("high")};
    static const QStringList kHybrid = {QStringLiteral("none"), QStringLiteral("low"),
                                        QStringLiteral("medium"), QStringLiteral("high"),
                                        QStringLiteral("xhigh")};
    const QStringList &allowed = hybrid ? kHybrid : kReasoning;
    const QString effort =
        value.is_string() ? QString::fromStdString(value.get<std::string>()) : QString();
    if (!allowed.contains(effort))
        return oaUnsupportedValue(param, QStringLiteral("does not support '%1' with this model. "
                                                        "Supported values are: '%2'.")
                                             .arg(effort, allowed.join(QStringLiteral("', '"))));
    request->gen.effort = effort;
    return std::nullopt;
}

// A hybrid model at effort "none" samples like a classic one; above it, like a reasoning model.
std::optional<Rejection> oaHybridSampling(const ordered_json &body, const QString &effort,
                                          std::initializer_list<const char *> params) {
    if (effort == QLatin1String("none"))
        return std::nullopt;
    for (const char *p : params)
        if (body.contains(p) && body.at(p) != false)
            return oaUnsupportedParameter(QString::fromLatin1(p),
                                          QStringLiteral("It is only supported when the reasoning "
                                                         "effort is 'none'."));
    return std::nullopt;
}

} // namespace

std::optional<Rejection> OpenAiRules::chat(Profile profile, const ordered_json &body,
                                           ChatRequest *request, int contextTokens) {
    GenerationParams &gen = request->gen;
    const ModelFamily family =
        profile == Profile::OpenAi ? modelFamily(request->model) : ModelFamily::Classic;
    if (family == ModelFamily::ResponsesOnly)
        return Rejection{404,
                         QStringLiteral("This model is only supported in v1/responses and not in "
                                        "v1/chat/completions."),
                         QStringLiteral("model"), QStringLiteral("unsupported_api")};
    const bool reasoning = isReasoning(family);

    if (family == ModelFamily::Hybrid) {
        gen.effort = QStringLiteral("none");
        if (const auto e = body.find("reasoning_effort"); e != body.end())
            if (auto r = oaEffort(QStringLiteral("reasoning_effort"), *e, true, request))
                return r;
        if (body.contains("max_tokens"))
            return oaUnsupportedParameter(QStringLiteral("max_tokens"),
                                          QStringLiteral("Use 'max_completion_tokens' instead."));
        if (auto r = oaHybridSampling(body, gen.effort, {"temperature", "top_p", "logprobs"}))
            return r;
    } else if (reasoning) {
        if (body.contains("max_tokens"))
            return oaUnsupportedParameter(QStringLiteral("max_tokens"),
                                          QStringLiteral("Use 'max_completion_tokens' instead."));
        if (const auto t = body.find("temperature");
            t != body.end() && !t->is_null() && !(t->is_number() && t->get<double>() == 1.0))
            return oaUnsupportedValue(QStringLiteral("temperature"),
                                      QStringLiteral("does not support %1 with this model. Only "
                                                     "the default (1) value is supported.")
                                          .arg(QString::fromStdString(t->dump())));
        if (body.contains("top_p"))
            return oaUnsupportedParameter(QStringLiteral("top_p"));
        if (body.value("logprobs", false) == true)
            return Rejection{
                403, QStringLiteral("You are not allowed to request logprobs from this model"),
                QStringLiteral("logprobs"), QString()};
        if (const auto e = body.find("reasoning_effort"); e != body.end())
            if (auto r = oaEffort(QStringLiteral("reasoning_effort"), *e, false, request))
                return r;
    } else if (profile == Profile::OpenAi && body.contains("reasoning_effort")) {
        return oaUnsupportedParameter(QStringLiteral("reasoning_effort"));
    }

    // OpenAI's range is 0..2; the local servers take any non-negative temperature.
    const double maxTemperature = profile == Profile::OpenAi ? 2.0 : 1e9;
    if (auto r = oaRange(body, "temperature", 0.0, maxTemperature, &gen.temperature))
        return r;
    std::optional<double> topP;
    if (auto r = oaRange(body, "top_p", 0.0, 1.0, &topP))
        return r;
    if (auto r = oaInteger(body, "seed", std::numeric_limits<qint64>::min(), &gen.seed))
        return r;
    std::optional<qint64> maxTokens;
    std::optional<qint64> maxCompletion;
    if (auto r = oaInteger(body, "max_tokens", 1, &maxTokens))
        return r;
    if (auto r = oaInteger(body, "max_completion_tokens", 1, &maxCompletion))
        return r;
    gen.maxTokens = maxCompletion ? maxCompletion : maxTokens;

    if (const auto lp = body.find("logprobs"); lp != body.end() && !lp->is_null()) {
        if (!lp->is_boolean())
            return oaInvalid(QStringLiteral("logprobs"), QStringLiteral("expected a boolean."),
                             QStringLiteral("invalid_type"));
        gen.logprobs = lp->get<bool>();
    }
    std::optional<qint64> top;
    if (auto r = oaInteger(body, "top_logprobs", 0, &top))
        return r;
    if (top && *top > 20)
        return oaInvalid(QStringLiteral("top_logprobs"),
                         QStringLiteral("integer above maximum value. Expected a value <= 20, but "
                                        "got %1 instead.")
                             .arg(*top),
                         QStringLiteral("integer_above_max_value"));
    if (top && !gen.logprobs && profile == Profile::OpenAi)
        return oaInvalid(QStringLiteral("top_logprobs"),
                         QStringLiteral("'logprobs' must be true when 'top_logprobs' is used."));
    if (top)
        gen.topLogprobs = int(*top);
    else if (gen.logprobs && profile == Profile::LlamaCpp)
        gen.topLogprobs = 20; // llama-server's default when only logprobs is set

    if (auto r = oaResponseFormat(profile, body, request))
        return r;
    // guided_json & co.: vLLM removed them and ignores them silently, as does llama-server.

    // vLLM counts the prompt and the completion asked for; llama-server only the prompt (and
    // cuts the answer at the context's end). Messages as the real servers word them.
    const qint64 prompt = (qint64(request->promptChars()) + 3) / 4;
    const qint64 completion = gen.maxTokens.value_or(0);
    if (profile == Profile::Vllm && prompt + completion > contextTokens)
        return Rejection{400,
                         QStringLiteral("This model's maximum context length is %1 tokens. "
                                        "However, you requested %2 tokens (%3 in the messages, %4 "
                                        "in the completion). Please reduce the length of the "
                                        "messages or completion.")
                             .arg(contextTokens)
                             .arg(prompt + completion)
                             .arg(prompt)
                             .arg(completion),
                         QString(), QStringLiteral("context_length_exceeded"),
                         QStringLiteral("BadRequestError")};
    if (profile == Profile::LlamaCpp && prompt > contextTokens)
        return Rejection{400,
                         QStringLiteral("request (%1 tokens) exceeds the available context size "
                                        "(%2 tokens), try increasing it")
                             .arg(prompt)
                             .arg(contextTokens),
                         QString(), QString(), QStringLiteral("exceed_context_size_error")};
    return std::nullopt;
}

std::optional<Rejection> OpenAiRules::responses(const ordered_json &body, ChatRequest *request) {
    GenerationParams &gen = request->gen;
    const ModelFamily family = modelFamily(request->model);
    const bool hybrid = family == ModelFamily::Hybrid;
    const bool reasoning = isReasoning(family);
    // Chat completions' names are not parameters of this API.
    for (const char *unknown : {"seed", "max_tokens", "max_completion_tokens", "messages",
                                "reasoning_effort", "n", "logprobs"}) {
        if (body.contains(unknown))
            return Rejection{
                400, QStringLiteral("Unknown parameter: '%1'.").arg(QLatin1StringView(unknown)),
                QString::fromLatin1(unknown), QStringLiteral("unknown_parameter")};
    }
    if (body.contains("response_format"))
        return Rejection{
            400,
            QStringLiteral("Unsupported parameter: 'response_format'. In the Responses "
                           "API, this parameter has moved to 'text.format'."),
            QStringLiteral("response_format"), QStringLiteral("unsupported_parameter")};
    if (hybrid) {
        gen.effort = QStringLiteral("none");
        if (const auto r = body.find("reasoning"); r != body.end() && r->is_object())
            if (const auto e = r->find("effort"); e != r->end())
                if (auto rej = oaEffort(QStringLiteral("reasoning.effort"), *e, true, request))
                    return rej;
        if (auto r = oaHybridSampling(body, gen.effort, {"temperature", "top_p"}))
            return r;
    } else if (reasoning) {
        if (body.contains("temperature"))
            return oaUnsupportedParameter(QStringLiteral("temperature"));
        if (body.contains("top_p"))
            return oaUnsupportedParameter(QStringLiteral("top_p"));
    } else if (body.contains("reasoning")) {
        return oaUnsupportedParameter(QStringLiteral("reasoning.effort"));
    }
    if (auto r = oaRange(body, "temperature", 0.0, 2.0, &gen.temperature))
        return r;
    std::optional<double> topP;
    if (auto r = oaRange(body, "top_p", 0.0, 1.0, &topP))
        return r;
    if (auto r = oaInteger(body, "max_output_tokens", 16, &gen.maxTokens))
        return r;
    if (const auto store = body.find("store"); store != body.end() && !store->is_boolean())
        return oaInvalid(QStringLiteral("store"), QStringLiteral("expected a boolean."),
                         QStringLiteral("invalid_type"));
    if (const auto r = body.find("reasoning"); r != body.end()) {
        if (!r->is_object())
            return oaInvalid(QStringLiteral("reasoning"), QStringLiteral("expected an object."),
                             QStringLiteral("invalid_type"));
        if (const auto e = r->find("effort"); e != r->end())
            if (auto rej = oaEffort(QStringLiteral("reasoning.effort"), *e, hybrid, request))
                return rej;
    }
    if (const auto text = body.find("text"); text != body.end() && text->is_object()) {
        if (const auto format = text->find("format");
            format != text->end() && format->is_object()) {
            const std::string type = format->value("type", std::string());
            if (type == "json_schema")
                return oaSchemaForm(*format, QStringLiteral("text.format"),
                                    QStringLiteral("text.format"), true, request);
            if (type != "text" && type != "json_object")
                return oaInvalid(
                    QStringLiteral("text.format.type"),
                    QStringLiteral("must be one of 'text', 'json_object', 'json_schema'."));
        }
    }
    return std::nullopt;
}

} // namespace rs::llmserver
