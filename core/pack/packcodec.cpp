#include "packcodec.h"

#include "common/boundedjson.h"
#include "common/sha256.h"
#include "import/recordmapper.h"
#include "judge/aggregationjson.h"
#include "rubric/checkspec.h"

#include <QRegularExpression>

#include <nlohmann/json.hpp>

#include <cmath>

using nlohmann::json;

namespace rs::pack::codec {
namespace {

// Whole numbers are written as integers so a pack reads "weight": 3, as people write them,
// and the same value always prints the same way (the round trip compares bytes).
json jsonNumber(double v)
{
    if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15)
        return json(std::int64_t(v));
    return json(v);
}

std::string stdString(const QString &s) { return s.toStdString(); }
QString qstr(const json &j) { return QString::fromStdString(j.get<std::string>()); }

json tagsJson(const QStringList &tags)
{
    json a = json::array();
    for (const QString &t : tags)
        a.push_back(stdString(t));
    return a;
}

QStringList tagsFrom(const json &j)
{
    QStringList out;
    if (j.is_array())
        for (const json &t : j)
            if (t.is_string())
                out << qstr(t);
    return out;
}

json parsedOrNull(const QString &text)
{
    if (text.isEmpty())
        return nullptr;
    json j = parseBoundedJson(text.toStdString());
    return j.is_discarded() ? json(nullptr) : j;
}

Error recordError(const QString &message) { return makeError(message); }

const json *codecString(const json &j, const char *key)
{
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? &*it : nullptr;
}

// The turns of a HealthBench prompt: the stored conversation, or the prompt as one user turn.
json turnsOf(const PackRubric &r)
{
    json turns = parsedOrNull(r.conversationJson);
    if (turns.is_array() && !turns.empty())
        return turns;
    return json::array({json{{"role", "user"}, {"content", stdString(r.prompt)}}});
}

// First words of a criterion, for RaR's short title.
QString titleOf(const QString &text)
{
    QStringList words = text.simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    const bool cut = words.size() > 8;
    words = words.mid(0, 8);
    QString t = words.join(QLatin1Char(' '));
    while (!t.isEmpty() && QStringLiteral(".,;:").contains(t.back()))
        t.chop(1);
    return cut ? t + QStringLiteral("…") : t;
}

json encodeNative(const PackRubric &r)
{
    json criteria = json::array();
    const bool points = r.scoring == QLatin1String("points");
    for (const PackCriterion &c : r.criteria) {
        json o{{"id", stdString(c.id)}, {"criterion", stdString(c.text)}};
        o[points ? "points" : "weight"] = jsonNumber(c.weight);
        if (!c.category.isEmpty())
            o["category"] = stdString(c.category);
        if (!c.tags.isEmpty())
            o["tags"] = tagsJson(c.tags);
        if (json check = parsedOrNull(c.checkJson); !check.is_null())
            o["check"] = std::move(check);
        if (c.veto)
            o["veto"] = true;
        criteria.push_back(std::move(o));
    }
    // An implicit rubric says so in the same field: its reward is the holistic score, not the
    // scoring's formula (reward.py reads it there).
    const char *formula = judge::isImplicitAggregation(r.aggregation) ? "implicit"
                          : points                                    ? "points_clipped"
                                                                      : "weighted_sum";
    json j{{"prompt", stdString(r.prompt)},   {"prompt_hash", stdString(promptHash(r.prompt))},
           {"scoring", stdString(r.scoring)}, {"aggregation", formula},
           {"criteria", std::move(criteria)}, {"rubric_hash", stdString(rubricHash(r))}};
    // The version's veto cap and shaping sit beside "aggregation" (kept a string, as readers
    // of older packs expect); a pack from a version without them is unchanged.
    if (json agg = parsedOrNull(r.aggregation); agg.is_object()) {
        j["veto_cap"] = agg.value("veto_cap", json(0));
        if (agg.contains("shaping"))
            j["shaping"] = agg["shaping"];
    }
    if (json conv = parsedOrNull(r.conversationJson); !conv.is_null())
        j["conversation"] = conv;
    if (!r.dataset.isEmpty())
        j["dataset"] = stdString(r.dataset);
    if (!r.externalId.isEmpty())
        j["external_id"] = stdString(r.externalId);
    if (json tags = parsedOrNull(r.promptTagsJson); !tags.is_null())
        j["prompt_tags"] = tags;
    return j;
}

json encodePaper(const PackRubric &r)
{
    json rubrics = json::array();
    double total = 0;
    for (const PackCriterion &c : r.criteria) {
        rubrics.push_back(json{{"criterion", stdString(c.text)}, {"weight", jsonNumber(c.weight)}});
        total += c.weight;
    }
    return json{{"prompt", stdString(r.prompt)},
                {"rubrics", std::move(rubrics)},
                {"number_of_criteria", r.criteria.size()},
                {"total_weight", jsonNumber(total)}};
}

json encodeHealthBench(const PackRubric &r)
{
    json rubrics = json::array();
    const bool points = r.scoring == QLatin1String("points");
    for (const PackCriterion &c : r.criteria) {
        double p = c.weight;
        // A weighted pitfall is undesirable behaviour: in points it is a negative value.
        if (!points && c.category == QLatin1String("pitfall") && p > 0)
            p = -p;
        rubrics.push_back(json{{"criterion", stdString(c.text)}, {"points", jsonNumber(p)}, {"tags", tagsJson(c.tags)}});
    }
    json tags = parsedOrNull(r.promptTagsJson);
    return json{{"prompt", turnsOf(r)},
                {"prompt_id", stdString(r.externalId.isEmpty() ? promptHash(r.prompt) : r.externalId)},
                {"example_tags", tags.is_array() ? tags : json::array()},
                {"rubrics", std::move(rubrics)}};
}

json encodeRar(const PackRubric &r)
{
    json rubric = json::array();
    for (const PackCriterion &c : r.criteria) {
        const auto [label, weight] = rarMapping(c, r.scoring);
        rubric.push_back(json{{"title", stdString(titleOf(c.text))},
                              {"description", stdString(label + QStringLiteral(" Criteria: ") + c.text)},
                              {"weight", jsonNumber(weight)}});
    }
    return json{{"prompt", stdString(r.prompt)}, {"rubric", std::move(rubric)}};
}

Expected<PackRubric> decodeNative(const json &j)
{
    PackRubric r;
    const json *prompt = codecString(j, "prompt");
    if (!prompt)
        return recordError(QStringLiteral("missing string field \"prompt\""));
    r.prompt = qstr(*prompt);
    if (const json *s = codecString(j, "scoring"))
        r.scoring = qstr(*s);
    if (r.scoring != QLatin1String("weights") && r.scoring != QLatin1String("points"))
        return recordError(QStringLiteral("\"scoring\" must be weights or points"));
    if (auto c = j.find("conversation"); c != j.end() && !c->is_null())
        r.conversationJson = QString::fromStdString(c->dump());
    if (const json *s = codecString(j, "dataset"))
        r.dataset = qstr(*s);
    if (const json *s = codecString(j, "external_id"))
        r.externalId = qstr(*s);
    if (auto t = j.find("prompt_tags"); t != j.end() && !t->is_null())
        r.promptTagsJson = QString::fromStdString(t->dump());
    auto cs = j.find("criteria");
    if (cs == j.end() || !cs->is_array())
        return recordError(QStringLiteral("field \"criteria\" must be an array"));
    const char *valueKey = r.scoring == QLatin1String("points") ? "points" : "weight";
    int index = 0;
    for (const json &c : *cs) {
        const QString where = QStringLiteral("criteria[%1]").arg(index++);
        const json *id = c.is_object() ? codecString(c, "id") : nullptr;
        const json *text = c.is_object() ? codecString(c, "criterion") : nullptr;
        if (!id || !text)
            return recordError(where + QStringLiteral(" needs string \"id\" and \"criterion\""));
        auto v = c.find(valueKey);
        if (v == c.end() || !v->is_number())
            return recordError(where + QStringLiteral(".%1 must be a number").arg(QLatin1String(valueKey)));
        PackCriterion pc{qstr(*id), qstr(*text), v->get<double>(), {}, {}};
        if (const json *cat = codecString(c, "category"))
            pc.category = qstr(*cat);
        if (auto t = c.find("tags"); t != c.end())
            pc.tags = tagsFrom(*t);
        if (auto check = c.find("check"); check != c.end() && !check->is_null()) {
            auto spec = rubric::checkFromJson(*check);
            if (!spec)
                return recordError(where + QStringLiteral(".check: ") + spec.error().message);
            pc.checkJson = rubric::checkToText(spec.value());
        }
        if (auto veto = c.find("veto"); veto != c.end() && !veto->is_null()) {
            if (!veto->is_boolean())
                return recordError(where + QStringLiteral(".veto must be true or false"));
            pc.veto = veto->get<bool>();
        }
        r.criteria << pc;
    }
    const json *formula = codecString(j, "aggregation");
    const bool implicit = formula && formula->get<std::string>() == "implicit";
    if (implicit || j.contains("veto_cap") || j.contains("shaping")) {
        json agg{{"type", implicit                               ? "implicit"
                          : r.scoring == QLatin1String("points") ? "points"
                                                                 : "weighted_sum"}};
        for (const char *key : {"veto_cap", "shaping"})
            if (j.contains(key))
                agg[key] = j[key];
        auto spec = judge::aggregationFromJson(agg);
        if (!spec)
            return recordError(QStringLiteral("aggregation: ") + spec.error().message);
        r.aggregation = judge::aggregationToText(spec.value());
    }
    return r;
}

Expected<PackRubric> decodePaper(const json &j)
{
    PackRubric r;
    const json *prompt = codecString(j, "prompt");
    if (!prompt)
        return recordError(QStringLiteral("missing string field \"prompt\""));
    r.prompt = qstr(*prompt);
    auto cs = j.find("rubrics");
    if (cs == j.end() || !cs->is_array())
        return recordError(QStringLiteral("field \"rubrics\" must be an array"));
    int index = 0;
    for (const json &c : *cs) {
        const QString where = QStringLiteral("rubrics[%1]").arg(index++);
        const json *text = c.is_object() ? codecString(c, "criterion") : nullptr;
        auto w = c.is_object() ? c.find("weight") : c.end();
        if (!text || w == c.end() || !w->is_number())
            return recordError(where + QStringLiteral(" needs a string \"criterion\" and a number \"weight\""));
        PackCriterion pc{QString(), qstr(*text), w->get<double>(), {}, {}};
        if (const json *cat = codecString(c, "category"))
            pc.category = qstr(*cat);
        r.criteria << pc;
    }
    return r;
}

Expected<PackRubric> decodeHealthBench(const json &j)
{
    auto turns = j.find("prompt");
    if (turns == j.end() || !turns->is_array() || turns->empty())
        return recordError(QStringLiteral("field \"prompt\" must be a non-empty list of {role, content} turns"));
    for (const json &t : *turns)
        if (!t.is_object() || !codecString(t, "content"))
            return recordError(QStringLiteral("every prompt turn needs a string \"content\""));
    PackRubric r;
    r.scoring = QStringLiteral("points");
    r.dataset = QStringLiteral("healthbench");
    r.prompt = QString::fromStdString(import::renderConversation(*turns));
    if (turns->size() > 1)
        r.conversationJson = QString::fromStdString(turns->dump());
    if (const json *id = codecString(j, "prompt_id"))
        r.externalId = qstr(*id);
    if (auto t = j.find("example_tags"); t != j.end() && t->is_array())
        r.promptTagsJson = QString::fromStdString(t->dump());
    auto cs = j.find("rubrics");
    if (cs == j.end() || !cs->is_array())
        return recordError(QStringLiteral("field \"rubrics\" must be an array"));
    int index = 0;
    for (const json &c : *cs) {
        const QString where = QStringLiteral("rubrics[%1]").arg(index++);
        const json *text = c.is_object() ? codecString(c, "criterion") : nullptr;
        auto p = c.is_object() ? c.find("points") : c.end();
        if (!text || p == c.end() || !p->is_number())
            return recordError(where + QStringLiteral(" needs a string \"criterion\" and a number \"points\""));
        PackCriterion pc{QString(), qstr(*text), p->get<double>(), {}, {}};
        pc.category = pc.weight < 0 ? QStringLiteral("pitfall") : QString();
        if (auto t = c.find("tags"); t != c.end())
            pc.tags = tagsFrom(*t);
        r.criteria << pc;
    }
    return r;
}

Expected<PackRubric> decodeRar(const json &j)
{
    static const QRegularExpression prefix(
        QStringLiteral("^\\s*(Essential|Important|Optional|Pitfall)\\s+Criteria\\s*:\\s*"),
        QRegularExpression::CaseInsensitiveOption);
    PackRubric r;
    const json *prompt = codecString(j, "prompt");
    if (!prompt)
        prompt = codecString(j, "question");
    if (!prompt)
        return recordError(QStringLiteral("missing string field \"prompt\" (or \"question\")"));
    r.prompt = qstr(*prompt);
    auto cs = j.find("rubric");
    if (cs == j.end())
        cs = j.find("rubrics");
    if (cs == j.end() || !cs->is_array())
        return recordError(QStringLiteral("field \"rubric\" must be an array of {title, description, weight}"));
    int index = 0;
    for (const json &c : *cs) {
        const QString where = QStringLiteral("rubric[%1]").arg(index++);
        const json *desc = c.is_object() ? codecString(c, "description") : nullptr;
        auto w = c.is_object() ? c.find("weight") : c.end();
        if (!desc || w == c.end() || !w->is_number())
            return recordError(where + QStringLiteral(" needs a string \"description\" and a number \"weight\""));
        PackCriterion pc{QString(), qstr(*desc), w->get<double>(), {}, {}};
        if (auto m = prefix.match(pc.text); m.hasMatch()) {
            pc.category = m.captured(1).toLower();
            pc.text = pc.text.mid(m.capturedEnd());
        }
        r.criteria << pc;
    }
    return r;
}

} // namespace

QString promptHash(const QString &prompt)
{
    return QString::fromStdString(sha256Hex(prompt.toStdString()));
}

QString rubricHash(const PackRubric &r)
{
    // A canonical form of exactly what scoring depends on, plus ids, categories and tags.
    json c = json::array();
    // Checks, vetoes and the aggregation enter only when present, so older packs keep their hash.
    for (const PackCriterion &k : r.criteria) {
        json o{{"id", stdString(k.id)},
               {"text", stdString(k.text)},
               {"value", jsonNumber(k.weight)},
               {"category", stdString(k.category)},
               {"tags", tagsJson(k.tags)}};
        if (!k.checkJson.isEmpty())
            o["check"] = parsedOrNull(k.checkJson);
        if (k.veto)
            o["veto"] = true;
        c.push_back(std::move(o));
    }
    json h{{"scoring", stdString(r.scoring)}, {"criteria", c}};
    if (!r.aggregation.isEmpty())
        h["aggregation"] = parsedOrNull(r.aggregation);
    return QString::fromStdString(sha256Hex(h.dump()));
}

std::pair<QString, double> rarMapping(const PackCriterion &c, const QString &scoring)
{
    static const QStringList labels{QStringLiteral("essential"), QStringLiteral("important"),
                                    QStringLiteral("optional"), QStringLiteral("pitfall")};
    const QString cat = c.category.toLower();
    const bool points = scoring == QLatin1String("points");
    const double v = c.weight;
    if (v < 0 || cat == QLatin1String("pitfall")) {
        // RaR pitfalls weigh −1 or −2; one already on that scale keeps its value.
        const double a = std::fabs(v);
        if (cat == QLatin1String("pitfall") && (a == 1 || a == 2))
            return {QStringLiteral("Pitfall"), -a};
        return {QStringLiteral("Pitfall"), a >= (points ? 5 : 2) ? -2.0 : -1.0};
    }
    if (labels.contains(cat)) {
        QString label = cat;
        label[0] = label[0].toUpper();
        return {label, v}; // already on RaR's scale (e.g. imported from RaR)
    }
    if (v >= (points ? 7 : 3))
        return {QStringLiteral("Essential"), 5.0};
    if (v >= (points ? 4 : 2))
        return {QStringLiteral("Important"), 3.0};
    return {QStringLiteral("Optional"), 1.0};
}

json encode(const PackRubric &rubric, PackFormat format)
{
    switch (format) {
    case PackFormat::Native: return encodeNative(rubric);
    case PackFormat::Paper: return encodePaper(rubric);
    case PackFormat::HealthBench: return encodeHealthBench(rubric);
    case PackFormat::Rar: return encodeRar(rubric);
    }
    return {};
}

Expected<PackRubric> decode(const json &record, PackFormat format)
{
    if (!record.is_object())
        return recordError(QStringLiteral("a record must be a JSON object"));
    switch (format) {
    case PackFormat::Native: return decodeNative(record);
    case PackFormat::Paper: return decodePaper(record);
    case PackFormat::HealthBench: return decodeHealthBench(record);
    case PackFormat::Rar: return decodeRar(record);
    }
    return recordError(QStringLiteral("unknown format"));
}

std::optional<PackFormat> detect(const json &j)
{
    if (!j.is_object())
        return std::nullopt;
    if (j.contains("criteria") && j.contains("prompt_hash"))
        return PackFormat::Native;
    if (j.contains("prompt") && j["prompt"].is_array() && j.contains("rubrics"))
        return PackFormat::HealthBench;
    if (j.contains("rubric") && j["rubric"].is_array())
        return PackFormat::Rar;
    if (j.contains("rubrics") && j["rubrics"].is_array()) {
        const json &rs = j["rubrics"];
        if (!rs.empty() && rs[0].is_object() && rs[0].contains("description"))
            return PackFormat::Rar;
        return PackFormat::Paper;
    }
    return std::nullopt;
}

} // namespace rs::pack::codec
