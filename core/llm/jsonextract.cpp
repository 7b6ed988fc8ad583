#include "jsonextract.h"

#include <nlohmann/json.hpp>

#include <QString>

using nlohmann::json;

namespace rs::llm {
namespace {

bool fits(const json &j, JsonShape shape)
{
    switch (shape) {
    case JsonShape::Any: return j.is_object() || j.is_array();
    case JsonShape::Object: return j.is_object();
    case JsonShape::Array: return j.is_array();
    }
    return false;
}

std::optional<json> tryParse(std::string_view s, JsonShape shape)
{
    json j = json::parse(s.begin(), s.end(), nullptr, false);
    if (j.is_discarded() || !fits(j, shape))
        return std::nullopt;
    return j;
}

/// End (exclusive) of the balanced value starting at `open`, or npos; string-aware.
size_t balancedEnd(std::string_view s, size_t open)
{
    int depth = 0;
    bool inString = false, escape = false;
    for (size_t i = open; i < s.size(); ++i) {
        const char c = s[i];
        if (inString) {
            if (escape)
                escape = false;
            else if (c == '\\')
                escape = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"')
            inString = true;
        else if (c == '{' || c == '[')
            ++depth;
        else if ((c == '}' || c == ']') && --depth == 0)
            return i + 1;
    }
    return std::string_view::npos;
}

} // namespace

Expected<json> extractJson(std::string_view text, JsonShape shape)
{
    if (auto j = tryParse(text, shape))
        return *j;

    // Fenced blocks: ```json ... ``` or ``` ... ```, first that parses wins.
    for (size_t pos = text.find("```"); pos != std::string_view::npos;) {
        const size_t bodyStart = text.find('\n', pos);
        if (bodyStart == std::string_view::npos)
            break;
        const size_t close = text.find("```", bodyStart);
        if (close == std::string_view::npos)
            break;
        if (auto j = tryParse(text.substr(bodyStart + 1, close - bodyStart - 1), shape))
            return *j;
        pos = text.find("```", close + 3);
    }

    // Chatter around a bare value: try each opening bracket in turn.
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const bool candidate = (c == '{' && shape != JsonShape::Array)
                               || (c == '[' && shape != JsonShape::Object);
        if (!candidate)
            continue;
        const size_t end = balancedEnd(text, i);
        if (end == std::string_view::npos)
            continue;
        if (auto j = tryParse(text.substr(i, end - i), shape))
            return *j;
    }
    const char *what = shape == JsonShape::Array    ? "JSON array"
                       : shape == JsonShape::Object ? "JSON object"
                                                    : "JSON value";
    return makeError(QStringLiteral("the answer contains no %1 that parses").arg(QLatin1String(what)));
}

Expected<void> requireArrayOfObjects(const json &value, const char *textField, const char *numberField)
{
    if (!value.is_array())
        return makeError(QStringLiteral("expected a JSON array"));
    for (size_t i = 0; i < value.size(); ++i) {
        const json &e = value[i];
        if (!e.is_object())
            return makeError(QStringLiteral("element %1 is not an object").arg(i));
        auto t = e.find(textField);
        if (t == e.end() || !t->is_string() || t->get_ref<const std::string &>().empty())
            return makeError(QStringLiteral("element %1 has no text field \"%2\"")
                                 .arg(i)
                                 .arg(QLatin1String(textField)));
        if (numberField) {
            auto n = e.find(numberField);
            if (n == e.end() || !n->is_number())
                return makeError(QStringLiteral("element %1 has no number field \"%2\"")
                                     .arg(i)
                                     .arg(QLatin1String(numberField)));
        }
    }
    return {};
}

} // namespace rs::llm
