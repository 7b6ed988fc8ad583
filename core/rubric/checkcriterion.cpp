#include "checkcriterion.h"
#include "common/boundedjson.h"

#include <nlohmann/json.hpp>

using nlohmann::json;

namespace rs::rubric {
namespace {

// Python's str.isspace() set, which str.split() uses; QChar::isSpace() differs on U+001C..1F.
bool checkIsSpace(char32_t c) {
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 ||
           c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
           c == 0x202F || c == 0x205F || c == 0x3000;
}

bool checkSchemaType(const json &v, const std::string &type) {
    if (type == "object")
        return v.is_object();
    if (type == "array")
        return v.is_array();
    if (type == "string")
        return v.is_string();
    if (type == "integer")
        return v.is_number_integer();
    if (type == "number")
        return v.is_number();
    if (type == "boolean")
        return v.is_boolean();
    if (type == "null")
        return v.is_null();
    return false;
}

// The JSON Schema subset reward.py implements too; keywords outside it are ignored, as a
// validator ignores keywords it does not know.
bool checkMatchesSchema(const json &v, const json &schema) {
    if (!schema.is_object())
        return true;
    if (const auto t = schema.find("type"); t != schema.end()) {
        bool any = false;
        if (t->is_string())
            any = checkSchemaType(v, t->get<std::string>());
        else if (t->is_array())
            for (const json &one : *t)
                any = any || (one.is_string() && checkSchemaType(v, one.get<std::string>()));
        if (!any)
            return false;
    }
    if (const auto e = schema.find("enum"); e != schema.end() && e->is_array()) {
        bool found = false;
        for (const json &option : *e)
            found = found || option == v;
        if (!found)
            return false;
    }
    if (v.is_object()) {
        if (const auto req = schema.find("required"); req != schema.end() && req->is_array())
            for (const json &key : *req)
                if (key.is_string() && !v.contains(key.get<std::string>()))
                    return false;
        if (const auto props = schema.find("properties");
            props != schema.end() && props->is_object())
            for (const auto &[key, sub] : props->items())
                if (const auto it = v.find(key); it != v.end() && !checkMatchesSchema(*it, sub))
                    return false;
    }
    if (v.is_array())
        if (const auto items = schema.find("items"); items != schema.end())
            for (const json &item : v)
                if (!checkMatchesSchema(item, *items))
                    return false;
    return true;
}

bool checkParsesAs(const QString &candidate, const json *schema) {
    // nlohmann refuses NaN and Infinity, as reward.py's parse_constant hook does.
    const json v = parseBoundedJson(candidate.toStdString());
    if (v.is_discarded())
        return false;
    return !schema || checkMatchesSchema(v, *schema);
}

bool checkPhrasePresent(const QString &text, const QString &phrase, bool caseSensitive) {
    // Case-insensitive means both sides lower-cased (Python's str.lower()), not case folding.
    return caseSensitive ? text.contains(phrase) : text.toLower().contains(phrase.toLower());
}

} // namespace

qint64 countWords(const QString &text) {
    qint64 words = 0;
    bool inWord = false;
    for (const char32_t c : text.toUcs4()) {
        const bool space = checkIsSpace(c);
        if (!space && !inWord)
            ++words;
        inWord = !space;
    }
    return words;
}

qint64 countChars(const QString &text) {
    return text.toUcs4().size();
}

MarkdownCounts countMarkdown(const QString &text) {
    static const QRegularExpression fence(QStringLiteral("^ {0,3}```"));
    static const QRegularExpression header(QStringLiteral("^ {0,3}#{1,6}(?:[ \\t]|$)"));
    static const QRegularExpression bullet(
        QStringLiteral("^[ \\t]*(?:[-*+]|[0-9]{1,9}[.)])[ \\t]+[^ \\t]"));
    MarkdownCounts out;
    bool inCode = false;
    for (QString line : text.split(QLatin1Char('\n'))) {
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        if (fence.match(line).hasMatch()) {
            if (inCode)
                ++out.codeBlocks;
            inCode = !inCode;
            continue;
        }
        if (inCode)
            continue;
        if (header.match(line).hasMatch())
            ++out.headers;
        else if (bullet.match(line).hasMatch())
            ++out.bullets;
    }
    return out;
}

bool jsonCheckPasses(const QString &text, const std::string &schemaJson) {
    const json schema = schemaJson.empty() ? json() : json::parse(schemaJson, nullptr, false);
    const json *s = schemaJson.empty() || schema.is_discarded() ? nullptr : &schema;
    if (checkParsesAs(text.trimmed(), s))
        return true;
    // The same pattern reward.py uses: an opening fence with its info string, the body, the
    // next fence. Non-greedy, so each block is tried on its own.
    static const QRegularExpression block(QStringLiteral("```[^\\n]*\\n(.*?)```"),
                                          QRegularExpression::DotMatchesEverythingOption);
    for (auto it = block.globalMatch(text); it.hasNext();)
        if (checkParsesAs(it.next().captured(1), s))
            return true;
    return false;
}

CheckCriterion::CheckCriterion(CheckSpec spec)
    : m_spec(std::move(spec)) {
    if (m_spec.type == CheckType::Regex)
        // Unicode classes (\d, \w, \s) as Python's re has them for str patterns.
        m_regex =
            QRegularExpression(m_spec.pattern, QRegularExpression::UseUnicodePropertiesOption);
}

bool CheckCriterion::passes(const QString &response) const {
    switch (m_spec.type) {
    case CheckType::Regex:
        return m_regex.match(response).hasMatch() == m_spec.mustMatch;
    case CheckType::MinWords:
        return countWords(response) >= m_spec.value;
    case CheckType::MaxWords:
        return countWords(response) <= m_spec.value;
    case CheckType::MinChars:
        return countChars(response) >= m_spec.value;
    case CheckType::MaxChars:
        return countChars(response) <= m_spec.value;
    case CheckType::Json:
        return jsonCheckPasses(response, m_spec.schemaJson);
    case CheckType::Contains:
        for (const QString &p : m_spec.phrases)
            if (!checkPhrasePresent(response, p, m_spec.caseSensitive))
                return false;
        return true;
    case CheckType::NotContains:
        for (const QString &p : m_spec.phrases)
            if (checkPhrasePresent(response, p, m_spec.caseSensitive))
                return false;
        return true;
    case CheckType::Markdown: {
        const MarkdownCounts m = countMarkdown(response);
        return m.headers >= m_spec.minHeaders && m.bullets >= m_spec.minBullets &&
               m.codeBlocks >= m_spec.minCodeBlocks;
    }
    }
    return false;
}

} // namespace rs::rubric
