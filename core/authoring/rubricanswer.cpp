#include "rubricanswer.h"

#include "llm/jsonextract.h"

#include <nlohmann/json.hpp>

#include <QSet>

#include <cmath>

namespace rs::authoring {

Expected<QList<rubric::CriterionDraft>> parseRubricAnswer(const QString &raw, const RubricAnswerRules &rules)
{
    const QByteArray utf8 = raw.toUtf8();
    auto found = llm::extractJson(std::string_view(utf8.constData(), size_t(utf8.size())));
    if (!found)
        return found.error();
    nlohmann::json list = found.value();
    if (list.is_object()) {
        auto it = list.find("criteria");
        if (it == list.end())
            it = list.find("rubric");
        if (it == list.end() || !it->is_array())
            return makeError(QStringLiteral("the answer is a JSON object without a \"criteria\" array"));
        list = *it;
    }
    if (!list.is_array())
        return makeError(QStringLiteral("the answer is not a JSON array of criteria"));
    if (list.empty())
        return makeError(QStringLiteral("the answer lists no criteria"));
    if (int(list.size()) > rules.maxCriteria)
        return makeError(QStringLiteral("the answer lists %1 criteria, more than %2")
                             .arg(list.size())
                             .arg(rules.maxCriteria));

    QList<rubric::CriterionDraft> out;
    QSet<QString> seen;
    int index = 0;
    for (const auto &item : list) {
        ++index;
        if (!item.is_object())
            return makeError(QStringLiteral("criterion %1 is not an object").arg(index));
        auto text = item.find("criterion");
        if (text == item.end())
            text = item.find("text");
        if (text == item.end() || !text->is_string())
            return makeError(QStringLiteral("criterion %1 has no \"criterion\" text").arg(index));
        const QString t = QString::fromStdString(text->get<std::string>()).simplified();
        if (t.isEmpty())
            return makeError(QStringLiteral("criterion %1 has empty text").arg(index));
        double weight = 1;
        if (auto w = item.find("weight"); w != item.end()) {
            if (w->is_number())
                weight = w->get<double>();
            else if (w->is_string())
                weight = QString::fromStdString(w->get<std::string>()).toDouble();
            else
                return makeError(QStringLiteral("criterion %1 has a weight that is not a number").arg(index));
        }
        if (!std::isfinite(weight) || weight != std::round(weight) || weight < rules.minWeight
            || weight > rules.maxWeight)
            return makeError(QStringLiteral("criterion %1 has weight %2, outside the whole numbers %3 to %4")
                                 .arg(index)
                                 .arg(weight)
                                 .arg(rules.minWeight)
                                 .arg(rules.maxWeight));
        if (seen.contains(t.toCaseFolded()))
            continue;
        seen.insert(t.toCaseFolded());
        rubric::CriterionDraft d;
        d.text = t;
        d.weight = weight;
        // Contrastive answers tag each criterion; the tag travels as a criterion tag so the
        // editor, diffs and packs show it. Other values are the model's own words: dropped.
        if (auto kind = item.find("kind"); kind != item.end() && kind->is_string()) {
            const QString k = QString::fromStdString(kind->get<std::string>()).simplified().toLower();
            if (k == QLatin1String("hard_rule") || k == QLatin1String("hard rule"))
                d.tags << QStringLiteral("hard_rule");
            else if (k == QLatin1String("principle"))
                d.tags << QStringLiteral("principle");
        }
        out.push_back(d);
    }
    return out;
}

QString rubricAnswerSchema(bool withKind, const RubricAnswerRules &rules)
{
    using nlohmann::json;
    json weights = json::array();
    for (int w = int(std::ceil(rules.minWeight)); w <= int(std::floor(rules.maxWeight)); ++w)
        weights.push_back(w);
    json properties = {{"criterion", {{"type", "string"}}},
                       {"weight", {{"type", "integer"}, {"enum", weights}}}};
    json required = {"criterion", "weight"};
    if (withKind) {
        properties["kind"] = {{"type", "string"}, {"enum", {"hard_rule", "principle"}}};
        required.push_back("kind");
    }
    const json item = {{"type", "object"},
                       {"properties", properties},
                       {"required", required},
                       {"additionalProperties", false}};
    const json schema = {{"type", "object"},
                         {"properties",
                          {{"criteria",
                            {{"type", "array"},
                             {"items", item},
                             {"minItems", 1},
                             {"maxItems", rules.maxCriteria}}}}},
                         {"required", {"criteria"}},
                         {"additionalProperties", false}};
    return QString::fromStdString(schema.dump());
}

} // namespace rs::authoring
