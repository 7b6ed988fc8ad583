#include "jsonextract.h"
#include "common/boundedjson.h"
#include "common/jsonnesting.h"

#include <nlohmann/json.hpp>

#include <QString>

#include <algorithm>

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
    json j = parseBoundedJson(s);
    if (j.is_discarded() || !fits(j, shape))
        return std::nullopt;
    return j;
}

/// End (exclusive) of the balanced value starting at `open`, or npos; string-aware.
size_t balancedEnd(std::string_view s, size_t open)
{
    JsonNesting nesting;
    for (size_t i = open; i < s.size(); ++i)
        if (nesting.feed(s[i]) < 0 && nesting.depth == 0)
            return i + 1;
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

    // Chatter around a bare value: try each opening bracket in turn. Each try scans to its
    // closing bracket, so text of unclosed brackets costs length squared (a 64 KB answer of '{'
    // took minutes under the fuzzer); past a budget of 16 scans of the whole text, give up.
    const size_t budget = std::max<size_t>(text.size() * 16, size_t(1) << 20);
    size_t scanned = 0;
    for (size_t i = 0; i < text.size() && scanned <= budget; ++i) {
        const char c = text[i];
        const bool candidate = (c == '{' && shape != JsonShape::Array)
                               || (c == '[' && shape != JsonShape::Object);
        if (!candidate)
            continue;
        const size_t end = balancedEnd(text, i);
        scanned += (end == std::string_view::npos ? text.size() : end) - i;
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

std::string closeCutJson(std::string_view text)
{
    std::string out(text);
    std::string closers; // what each open bracket needs, innermost last
    JsonNesting nesting;
    for (const char c : text) {
        const int step = nesting.feed(c);
        if (step > 0)
            closers.push_back(c == '{' ? '}' : ']');
        else if (step < 0 && !closers.empty())
            closers.pop_back();
    }
    if (closers.empty())
        return out;
    if (nesting.inString) {
        if (nesting.escape)
            out.pop_back();
        out.push_back('"');
    }
    // What cannot end a value is trimmed: a separator (`"a":1,`) or a key still without its
    // value (`"a":1,"b":`), the key with it.
    const auto trimSpace = [&out] {
        while (!out.empty() && (out.back() == ' ' || out.back() == '\n' || out.back() == '\t'))
            out.pop_back();
    };
    trimSpace();
    if (!out.empty() && out.back() == ':') {
        out.pop_back();
        trimSpace();
        if (!out.empty() && out.back() == '"') {
            const size_t open = out.find_last_of('"', out.size() - 2); // keys hold no quotes here
            out.resize(open == std::string::npos ? out.size() : open);
        }
        trimSpace();
    }
    if (!out.empty() && out.back() == ',')
        out.pop_back();
    out.append(closers.rbegin(), closers.rend());
    return out;
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
