#include "schemashaper.h"

namespace rs::llmserver {

using nlohmann::ordered_json;

namespace {

// "type" may be a list (["string", "null"]): the first non-null one decides.
std::string shaperType(const ordered_json &schema) {
    const auto t = schema.find("type");
    if (t == schema.end())
        return schema.contains("properties") ? "object" : "";
    if (t->is_string())
        return t->get<std::string>();
    if (t->is_array())
        for (const auto &x : *t)
            if (x.is_string() && x != "null")
                return x.get<std::string>();
    return "";
}

std::optional<bool> shaperTruth(const ordered_json &v) {
    if (v.is_boolean())
        return v.get<bool>();
    if (v.is_number())
        return v.get<double>() != 0.0;
    if (v.is_string()) {
        const QString s = QString::fromStdString(v.get<std::string>()).trimmed().toLower();
        if (s == QLatin1String("yes") || s == QLatin1String("true") || s == QLatin1String("pass"))
            return true;
        if (s == QLatin1String("no") || s == QLatin1String("false") || s == QLatin1String("fail"))
            return false;
    }
    return std::nullopt;
}

ordered_json shaperEnum(const ordered_json &value, const ordered_json &options,
                        std::optional<bool> truth) {
    for (const auto &o : options)
        if (o == value)
            return o;
    // A verdict meets an enum of yes/no words in whatever case the schema spells them.
    if (truth) {
        for (const auto &o : options)
            if (shaperTruth(o) == truth)
                return o;
    }
    return options.empty() ? ordered_json() : options.front();
}

} // namespace

ordered_json SchemaShaper::conform(const ordered_json &value, const ordered_json &schema,
                                   const Hints &hints) {
    if (!schema.is_object())
        return value;
    const std::optional<bool> truth = value.is_null() ? hints.verdict : shaperTruth(value);
    if (const auto e = schema.find("enum"); e != schema.end() && e->is_array())
        return shaperEnum(value, *e, truth);
    if (const auto c = schema.find("const"); c != schema.end())
        return *c;
    const std::string type = shaperType(schema);
    if (type == "object") {
        ordered_json out = ordered_json::object();
        const auto props = schema.find("properties");
        if (props == schema.end() || !props->is_object())
            return value.is_object() ? value : out;
        // A bare verdict meeting an object schema ({"met": bool, "reason": str} per criterion)
        // hands its truth down to the object's own properties.
        Hints inner = hints;
        if (!value.is_object() && truth)
            inner.verdict = truth;
        bool arrayUsed = false;
        for (auto it = props->begin(); it != props->end(); ++it) {
            const ordered_json &sub = it.value();
            ordered_json source;
            if (value.is_object() && value.contains(it.key())) {
                source = value.at(it.key());
            } else if (value.is_array() && !arrayUsed && shaperType(sub) == "array") {
                // A list answer (the proposer's criteria) fills the first list property.
                source = value;
                arrayUsed = true;
            }
            out[it.key()] = conform(source, sub, inner);
        }
        return out;
    }
    if (type == "array") {
        ordered_json out = ordered_json::array();
        if (value.is_array())
            for (const auto &x : value)
                out.push_back(conform(x, schema.value("items", ordered_json::object()), hints));
        return out;
    }
    if (type == "boolean")
        return truth.value_or(false);
    if (type == "integer" || type == "number") {
        if (value.is_number())
            return value;
        if (truth)
            return *truth ? 1 : 0;
        return schema.value("minimum", 0);
    }
    if (type == "string") {
        if (value.is_string())
            return value;
        if (value.is_boolean())
            return value.get<bool>() ? "yes" : "no";
        if (value.is_null())
            return hints.text.toStdString();
        return value.dump();
    }
    return value.is_null() ? ordered_json(hints.text.toStdString()) : value;
}

} // namespace rs::llmserver
