#include "checkspec.h"

#include <QRegularExpression>

#include <nlohmann/json.hpp>

#include <array>
#include <set>

using nlohmann::json;

namespace rs::rubric {
namespace {

struct CheckTypeEntry {
    CheckType type;
    const char *name;
};

constexpr std::array<CheckTypeEntry, 9> kCheckTypes{{{CheckType::Regex, "regex"},
                                                     {CheckType::MinWords, "min_words"},
                                                     {CheckType::MaxWords, "max_words"},
                                                     {CheckType::MinChars, "min_chars"},
                                                     {CheckType::MaxChars, "max_chars"},
                                                     {CheckType::Json, "json"},
                                                     {CheckType::Contains, "contains"},
                                                     {CheckType::NotContains, "not_contains"},
                                                     {CheckType::Markdown, "markdown"}}};

bool isLimit(CheckType t) {
    return t == CheckType::MinWords || t == CheckType::MaxWords || t == CheckType::MinChars ||
           t == CheckType::MaxChars;
}

// The parameters each type takes besides "type"; anything else is a typo worth reporting,
// since a misspelt "must_match" would silently flip a criterion's meaning.
std::set<std::string> checkParameters(CheckType t) {
    switch (t) {
    case CheckType::Regex:
        return {"pattern", "must_match"};
    case CheckType::Json:
        return {"schema"};
    case CheckType::Contains:
    case CheckType::NotContains:
        return {"phrases", "case_sensitive"};
    case CheckType::Markdown:
        return {"min_headers", "min_bullets", "min_code_blocks"};
    default:
        return {"value"};
    }
}

Error checkError(const QString &message) {
    return makeError(message);
}

Expected<qint64> checkCount(const json &j, const char *key, bool required) {
    const auto it = j.find(key);
    if (it == j.end()) {
        if (required)
            return checkError(QStringLiteral("missing \"%1\"").arg(QLatin1String(key)));
        return qint64(0);
    }
    // 60.0 is accepted as 60; 60.5 or -1 is a mistake.
    if (!it->is_number() || it->get<double>() < 0 || it->get<double>() != double(it->get<qint64>()))
        return checkError(
            QStringLiteral("\"%1\" must be a non-negative whole number").arg(QLatin1String(key)));
    return it->get<qint64>();
}

Expected<bool> checkFlag(const json &j, const char *key, bool fallback) {
    const auto it = j.find(key);
    if (it == j.end())
        return fallback;
    if (!it->is_boolean())
        return checkError(QStringLiteral("\"%1\" must be true or false").arg(QLatin1String(key)));
    return it->get<bool>();
}

} // namespace

QString checkTypeName(CheckType type) {
    for (const auto &e : kCheckTypes)
        if (e.type == type)
            return QLatin1String(e.name);
    return {};
}

QStringList checkTypeNames() {
    QStringList out;
    for (const auto &e : kCheckTypes)
        out << QLatin1String(e.name);
    return out;
}

Expected<CheckSpec> checkFromJson(const json &j) {
    if (!j.is_object())
        return checkError(QStringLiteral("must be an object with a \"type\""));
    const auto t = j.find("type");
    if (t == j.end() || !t->is_string())
        return checkError(QStringLiteral("missing string \"type\" (one of %1)")
                              .arg(checkTypeNames().join(QStringLiteral(", "))));
    CheckSpec spec;
    bool known = false;
    for (const auto &e : kCheckTypes)
        if (t->get<std::string>() == e.name) {
            spec.type = e.type;
            known = true;
        }
    if (!known)
        return checkError(QStringLiteral("unknown type \"%1\" (one of %2)")
                              .arg(QString::fromStdString(t->get<std::string>()),
                                   checkTypeNames().join(QStringLiteral(", "))));
    const std::set<std::string> allowed = checkParameters(spec.type);
    for (const auto &[key, value] : j.items())
        if (key != "type" && !allowed.count(key))
            return checkError(QStringLiteral("%1 takes no \"%2\"")
                                  .arg(checkTypeName(spec.type), QString::fromStdString(key)));

    switch (spec.type) {
    case CheckType::Regex: {
        const auto p = j.find("pattern");
        if (p == j.end() || !p->is_string() || p->get<std::string>().empty())
            return checkError(QStringLiteral("regex needs a non-empty string \"pattern\""));
        spec.pattern = QString::fromStdString(p->get<std::string>());
        const QRegularExpression re(spec.pattern);
        if (!re.isValid())
            return checkError(QStringLiteral("pattern does not compile: %1 at offset %2")
                                  .arg(re.errorString())
                                  .arg(re.patternErrorOffset()));
        auto must = checkFlag(j, "must_match", true);
        if (!must)
            return must.error();
        spec.mustMatch = must.value();
        break;
    }
    case CheckType::Json:
        if (const auto s = j.find("schema"); s != j.end() && !s->is_null()) {
            if (!s->is_object())
                return checkError(QStringLiteral("\"schema\" must be an object"));
            spec.schemaJson = s->dump();
        }
        break;
    case CheckType::Contains:
    case CheckType::NotContains: {
        const auto p = j.find("phrases");
        if (p == j.end() || !p->is_array() || p->empty())
            return checkError(QStringLiteral("%1 needs a non-empty array \"phrases\"")
                                  .arg(checkTypeName(spec.type)));
        for (const json &phrase : *p) {
            if (!phrase.is_string() || phrase.get<std::string>().empty())
                return checkError(QStringLiteral("every phrase must be a non-empty string"));
            spec.phrases << QString::fromStdString(phrase.get<std::string>());
        }
        auto cs = checkFlag(j, "case_sensitive", false);
        if (!cs)
            return cs.error();
        spec.caseSensitive = cs.value();
        break;
    }
    case CheckType::Markdown: {
        auto h = checkCount(j, "min_headers", false);
        auto b = checkCount(j, "min_bullets", false);
        auto c = checkCount(j, "min_code_blocks", false);
        for (auto *v : {&h, &b, &c})
            if (!*v)
                return v->error();
        spec.minHeaders = h.value();
        spec.minBullets = b.value();
        spec.minCodeBlocks = c.value();
        if (spec.minHeaders + spec.minBullets + spec.minCodeBlocks == 0)
            return checkError(QStringLiteral(
                "markdown needs at least one of min_headers, min_bullets, min_code_blocks"));
        break;
    }
    default: {
        auto v = checkCount(j, "value", true);
        if (!v)
            return v.error();
        spec.value = v.value();
        break;
    }
    }
    return spec;
}

Expected<CheckSpec> checkFromText(const QString &text) {
    const json j = json::parse(text.toStdString(), nullptr, false);
    if (j.is_discarded())
        return checkError(QStringLiteral("not valid JSON"));
    return checkFromJson(j);
}

json checkToJson(const CheckSpec &spec) {
    json j{{"type", checkTypeName(spec.type).toStdString()}};
    switch (spec.type) {
    case CheckType::Regex:
        j["pattern"] = spec.pattern.toStdString();
        j["must_match"] = spec.mustMatch;
        break;
    case CheckType::Json:
        if (!spec.schemaJson.empty())
            j["schema"] = json::parse(spec.schemaJson, nullptr, false);
        break;
    case CheckType::Contains:
    case CheckType::NotContains: {
        json phrases = json::array();
        for (const QString &p : spec.phrases)
            phrases.push_back(p.toStdString());
        j["phrases"] = std::move(phrases);
        j["case_sensitive"] = spec.caseSensitive;
        break;
    }
    case CheckType::Markdown:
        j["min_headers"] = spec.minHeaders;
        j["min_bullets"] = spec.minBullets;
        j["min_code_blocks"] = spec.minCodeBlocks;
        break;
    default:
        j["value"] = spec.value;
        break;
    }
    return j;
}

QString checkToText(const CheckSpec &spec) {
    return QString::fromStdString(checkToJson(spec).dump());
}

QString checkShorthand(const CheckSpec &spec) {
    const QString name = checkTypeName(spec.type);
    switch (spec.type) {
    case CheckType::Regex:
        return (spec.mustMatch ? name : name + QLatin1Char('!')) + QLatin1Char(' ') + spec.pattern;
    case CheckType::Json:
        // A schema has no shorthand; the JSON form keeps it.
        return spec.schemaJson.empty() ? name : checkToText(spec);
    case CheckType::Contains:
    case CheckType::NotContains:
        return (spec.caseSensitive ? name + QLatin1Char('!') : name) + QLatin1Char(' ') +
               spec.phrases.join(QStringLiteral(" | "));
    case CheckType::Markdown:
        return name + QStringLiteral(" headers=%1 bullets=%2 code=%3")
                          .arg(spec.minHeaders)
                          .arg(spec.minBullets)
                          .arg(spec.minCodeBlocks);
    default:
        return name + QLatin1Char(' ') + QString::number(spec.value);
    }
}

Expected<std::optional<CheckSpec>> checkFromShorthand(const QString &input) {
    const QString text = input.trimmed();
    if (text.isEmpty())
        return std::optional<CheckSpec>();
    if (text.startsWith(QLatin1Char('{'))) {
        auto spec = checkFromText(text);
        if (!spec)
            return spec.error();
        return std::optional<CheckSpec>(spec.value());
    }
    const qsizetype space = text.indexOf(QLatin1Char(' '));
    QString type = space < 0 ? text : text.left(space);
    const QString rest = space < 0 ? QString() : text.mid(space + 1).trimmed();
    const bool bang = type.endsWith(QLatin1Char('!'));
    if (bang)
        type.chop(1);
    json j{{"type", type.toStdString()}};
    if (type == QLatin1String("regex")) {
        j["pattern"] = rest.toStdString();
        j["must_match"] = !bang;
    } else if (type == QLatin1String("contains") || type == QLatin1String("not_contains")) {
        json phrases = json::array();
        for (const QString &p : rest.split(QLatin1Char('|'), Qt::SkipEmptyParts))
            if (!p.trimmed().isEmpty())
                phrases.push_back(p.trimmed().toStdString());
        j["phrases"] = std::move(phrases);
        j["case_sensitive"] = bang;
    } else if (type == QLatin1String("markdown")) {
        for (const QString &part : rest.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
            const QString key = part.section(QLatin1Char('='), 0, 0);
            bool ok = false;
            const qint64 n = part.section(QLatin1Char('='), 1).toLongLong(&ok);
            const char *field = key == QLatin1String("headers")   ? "min_headers"
                                : key == QLatin1String("bullets") ? "min_bullets"
                                : key == QLatin1String("code")    ? "min_code_blocks"
                                                                  : nullptr;
            if (!field || !ok)
                return checkError(QStringLiteral("markdown takes headers=N bullets=N code=N"));
            j[field] = n;
        }
    } else if (type != QLatin1String("json")) {
        bool ok = false;
        const qint64 n = rest.toLongLong(&ok);
        if (ok)
            j["value"] = n;
    }
    auto spec = checkFromJson(j);
    if (!spec)
        return spec.error();
    return std::optional<CheckSpec>(spec.value());
}

QString checkSummary(const CheckSpec &spec) {
    QString name = checkTypeName(spec.type); // not const: the default case returns it by move
    if (isLimit(spec.type))
        return name + QLatin1Char(' ') + QString::number(spec.value);
    switch (spec.type) {
    case CheckType::Regex:
        return (spec.mustMatch ? QStringLiteral("regex /") : QStringLiteral("regex not /")) +
               spec.pattern + QLatin1Char('/');
    case CheckType::Json:
        return spec.schemaJson.empty() ? name : QString(name + QStringLiteral(" + schema"));
    case CheckType::Contains:
    case CheckType::NotContains:
        if (spec.phrases.size() == 1)
            return name + QStringLiteral(" \"") + spec.phrases.first() + QLatin1Char('"');
        return name + QStringLiteral(" %1 phrases").arg(spec.phrases.size());
    case CheckType::Markdown:
        return name + QStringLiteral(" h≥%1 ·≥%2 ```≥%3")
                          .arg(spec.minHeaders)
                          .arg(spec.minBullets)
                          .arg(spec.minCodeBlocks);
    default:
        return name;
    }
}

} // namespace rs::rubric
