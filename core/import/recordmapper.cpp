#include "recordmapper.h"
#include "common/boundedjson.h"

#include "fieldscanner.h"
#include "judge/aggregationjson.h"
#include "rubric/checkspec.h"

#include <QFileInfo>
#include <QRegularExpression>

#include <nlohmann/json.hpp>

#include <algorithm>

using nlohmann::json;

namespace rs::import {
namespace {

QString typeName(const json &j)
{
    switch (j.type()) {
    case json::value_t::null: return QStringLiteral("null");
    case json::value_t::object: return QStringLiteral("an object");
    case json::value_t::array: return QStringLiteral("an array");
    case json::value_t::string: return QStringLiteral("a string");
    case json::value_t::boolean: return QStringLiteral("a boolean");
    default: return QStringLiteral("a number");
    }
}

/// Looks a dotted path ("meta.model") up in an object; nullptr when any step is missing.
const json *lookup(const json &obj, std::string_view path)
{
    const json *cur = &obj;
    while (!path.empty()) {
        const size_t dot = path.find('.');
        const std::string key(path.substr(0, dot));
        if (!cur->is_object())
            return nullptr;
        auto it = cur->find(key);
        if (it == cur->end())
            return nullptr;
        cur = &*it;
        path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
    }
    return cur;
}

QString keyList(const json &obj)
{
    QStringList keys;
    for (auto it = obj.begin(); it != obj.end(); ++it)
        keys << QString::fromStdString(it.key());
    return keys.join(QStringLiteral(", "));
}

} // namespace

std::string renderConversation(const json &turns)
{
    if (turns.size() == 1)
        return turns[0].value("content", std::string());
    std::string out;
    for (const auto &t : turns) {
        if (!out.empty())
            out += "\n\n";
        out += "[" + t.value("role", std::string("user")) + "]\n" + t.value("content", std::string());
    }
    return out;
}

Expected<json> parseJson(std::string_view text, const QString &file, qint64 line)
{
    if (!jsonDepthWithin(text))
        return makeError(QStringLiteral("invalid JSON: arrays or objects nest deeper than %1 levels")
                             .arg(kMaxJsonDepth),
                         file, line);
    try {
        return json::parse(text.begin(), text.end());
    } catch (const json::parse_error &e) {
        // e.byte is 1-based; count the newlines before it to name the faulty line.
        const size_t upto = std::min<size_t>(e.byte > 0 ? e.byte - 1 : 0, text.size());
        qint64 faultLine = line;
        for (size_t i = 0; i < upto; ++i)
            faultLine += text[i] == '\n';
        QString reason = QString::fromUtf8(e.what());
        const qsizetype colon = reason.indexOf(QStringLiteral(": "));
        if (reason.startsWith(QLatin1String("[json.exception")) && colon > 0)
            reason = reason.mid(colon + 2);
        return makeError(QStringLiteral("invalid JSON: ") + reason, file, faultLine);
    }
}

namespace {

/// The line of the field an error message names, counted from the record's first line.
qint64 fieldLine(std::string_view text, qint64 line, const QString &message) {
    // The field an error is about is quoted in its message: field "output" must be ...,
    // field "responses[2].generator" must be ..., responses[2].response ...
    static const QRegularExpression named(QStringLiteral("^field \"([^\"]+)\" must"));
    const QRegularExpressionMatch m = named.match(message);
    if (!m.hasMatch())
        return line;
    QString label = m.captured(1);
    // A path such as responses[2].generator: the key after the last dot, in the third element.
    int occurrence = 0;
    static const QRegularExpression indexed(QStringLiteral("\\[(\\d+)\\]\\.([^.\\[]+)$"));
    if (const QRegularExpressionMatch im = indexed.match(label); im.hasMatch()) {
        occurrence = im.captured(1).toInt();
        label = im.captured(2);
    }
    const std::string key = '"' + label.toStdString() + '"';
    int seen = 0;
    for (size_t at = text.find(key); at != std::string_view::npos;
         at = text.find(key, at + key.size())) {
        // A key is followed by a colon; the same text as a value is not the field.
        size_t after = at + key.size();
        while (after < text.size() && (text[after] == ' ' || text[after] == '\t' ||
                                       text[after] == '\r' || text[after] == '\n'))
            ++after;
        if (after >= text.size() || text[after] != ':')
            continue;
        if (seen++ == occurrence)
            return line + qint64(std::count(text.begin(), text.begin() + qsizetype(at), '\n'));
    }
    return line; // not found as written (an escaped key, say): the record's line it is
}

} // namespace

RecordMapper::RecordMapper(Format format, const ImportConfig &config, QString file)
    : m_format(format), m_config(config), m_file(std::move(file))
    , m_defaultGenerator(QFileInfo(m_file).completeBaseName().toStdString())
{
    const FieldMap &m = config.map;
    m_promptKey = m.prompt.toStdString();
    m_responseKey = m.response.toStdString();
    m_generatorKey = m.generator.toStdString();
    m_tierKey = m.tier.toStdString();
    m_defaultTier = config.tier.toStdString();
    std::vector<std::string_view> keys{m_promptKey, m_responseKey};
    if (!m_generatorKey.empty())
        keys.push_back(m_generatorKey);
    if (!m_tierKey.empty())
        keys.push_back(m_tierKey);
    m_flat = format == Format::Jsonl && !m_promptKey.empty() && !m_responseKey.empty();
    for (size_t i = 0; i < keys.size(); ++i) {
        m_flat = m_flat && keys[i].find('.') == std::string_view::npos;
        for (size_t k = 0; k < i; ++k)
            m_flat = m_flat && keys[i] != keys[k];
    }
}

bool RecordMapper::mapFlat(std::string_view text, qint64 line, RecordItems &items) const
{
    ResponseItem r;
    FieldScanner::Field fields[4] = {{m_promptKey, &items.promptText}, {m_responseKey, &r.text}};
    size_t n = 2;
    FieldScanner::Field *generator = nullptr, *tier = nullptr;
    if (!m_generatorKey.empty()) {
        generator = &fields[n];
        fields[n++] = {m_generatorKey, &r.generator};
    }
    if (!m_tierKey.empty()) {
        tier = &fields[n];
        fields[n++] = {m_tierKey, &r.tier, /*required=*/false};
    }
    if (!FieldScanner::scan(text, fields, n) || !fields[0].found || !fields[1].found
        || (generator && !generator->found))
        return false;
    if (!generator)
        r.generator = m_defaultGenerator;
    if (!tier || !tier->found)
        r.tier = m_defaultTier;
    r.offPolicy = m_config.offPolicy;
    items.line = line;
    items.responses.push_back(std::move(r));
    return true;
}

Error RecordMapper::fieldError(qint64 line, const QString &message) const
{
    return makeError(message, m_file, line);
}

Expected<Format> RecordMapper::detect(const json &first, const ImportConfig &config,
                                      const QString &file, qint64 line)
{
    if (!first.is_object())
        return makeError(QStringLiteral("records must be JSON objects, found %1").arg(typeName(first)),
                         file, line);
    const bool hasPrompt = first.contains("prompt");
    // AlpacaEval annotation files: two outputs and the annotator's preference between them.
    if (first.contains("instruction") && first.contains("output_1") && first.contains("output_2"))
        return Format::Pairwise;
    if (first.contains("instruction") && first.contains("output"))
        return Format::AlpacaEval;
    if (hasPrompt && first.contains("responses") && first["responses"].is_array())
        return Format::Rollouts;
    if (hasPrompt && first.contains("rubrics")) {
        return first["prompt"].is_array() ? Format::HealthBench : Format::Rubrics;
    }
    if (!config.map.isEmpty())
        return Format::Jsonl;
    return makeError(QStringLiteral("cannot tell the format from the first record (fields: %1); "
                                    "choose a format, or map fields with "
                                    "--map prompt=F,response=F")
                         .arg(keyList(first)),
                     file, line);
}

Expected<RecordItems> RecordMapper::map(std::string_view text, qint64 line) const
{
    // nlohmann's DOM parse was 70% of the parsing thread's time on flat JSONL (it reads a byte
    // at a time into a token buffer, then copies); the scanner unescapes in one pass. Anything
    // it does not handle goes the DOM way, which also words every error.
    if (m_flat) {
        RecordItems items;
        if (mapFlat(text, line, items))
            return items;
    }
    auto parsed = parseJson(text, m_file, line);
    if (!parsed)
        return parsed.error();
    const json &j = parsed.value();
    if (!j.is_object())
        return fieldError(line, QStringLiteral("record must be a JSON object, found %1").arg(typeName(j)));
    Expected<RecordItems> mapped = [&]() -> Expected<RecordItems> {
        switch (m_format) {
        case Format::AlpacaEval:
            return mapAlpacaEval(j, line);
        case Format::Rollouts:
            return mapRollouts(j, line);
        case Format::Jsonl:
            return mapGeneric(j, line);
        case Format::HealthBench:
            return mapHealthBench(j, line);
        case Format::Rubrics:
            return mapRubrics(j, line);
        case Format::Pairwise:
            return mapPairwise(j, line);
        case Format::Auto:
            break;
        }
        return fieldError(line, QStringLiteral("no format chosen"));
    }();
    if (!mapped) {
        // The mappers see the parsed record, not its text; a pretty-printed record spans many
        // lines, so the error moves from the record's first line to the bad field's.
        Error e = mapped.error();
        e.line = fieldLine(text, line, e.message);
        return e;
    }
    return mapped;
}

// Reads a required string field, or says exactly what is wrong with it. `var` names the variable
// it declares, so it cannot be parenthesised (clang-tidy's bugprone-macro-parentheses).
// NOLINTBEGIN(bugprone-macro-parentheses)
#define RS_REQUIRE_STRING(var, obj, key, label)                                                   \
    const json *var##_p = lookup(obj, key);                                                       \
    if (!var##_p)                                                                                 \
        return fieldError(line, QStringLiteral("missing field \"%1\"").arg(label));               \
    if (!var##_p->is_string())                                                                    \
        return fieldError(line, QStringLiteral("field \"%1\" must be a string, found %2")         \
                                    .arg(label, typeName(*var##_p)));                             \
    const std::string &var = var##_p->get_ref<const std::string &>();
// NOLINTEND(bugprone-macro-parentheses)

Expected<RecordItems> RecordMapper::mapPairwise(const json &j, qint64 line) const
{
    RS_REQUIRE_STRING(instruction, j, "instruction", QStringLiteral("instruction"));
    RS_REQUIRE_STRING(output1, j, "output_1", QStringLiteral("output_1"));
    RS_REQUIRE_STRING(output2, j, "output_2", QStringLiteral("output_2"));
    RecordItems items;
    items.line = line;
    items.promptText = instruction;
    if (auto it = j.find("dataset"); it != j.end() && it->is_string())
        items.dataset = it->get<std::string>();
    for (const char *key : {"generator_1", "generator_2"}) {
        std::string generator = m_defaultGenerator;
        if (auto it = j.find(key); it != j.end() && !it->is_null()) {
            if (!it->is_string())
                return fieldError(line, QStringLiteral("field \"%1\" must be a string, found %2")
                                            .arg(QLatin1String(key), typeName(*it)));
            generator = it->get<std::string>();
        }
        items.responses.push_back({std::move(generator), key[10] == '1' ? output1 : output2,
                                   m_config.tier.toStdString(), m_config.offPolicy});
    }
    // AlpacaEval's scale: 1 = output_1 better, 2 = output_2 better, fractional for weighted
    // annotators, null when the annotator gave no answer. Stored as P(output_2 better).
    PreferenceItem pref;
    if (auto it = j.find("annotator"); it != j.end() && it->is_string())
        pref.annotator = it->get<std::string>();
    if (auto it = j.find("preference"); it != j.end() && !it->is_null()) {
        double v = 0;
        if (it->is_number()) {
            v = it->get<double>();
        } else if (it->is_string()) {
            bool ok = false;
            v = QString::fromStdString(it->get<std::string>()).toDouble(&ok);
            if (!ok)
                return fieldError(line, QStringLiteral("field \"preference\" must be a number"));
        } else {
            return fieldError(line, QStringLiteral("field \"preference\" must be a number, found %1")
                                        .arg(typeName(*it)));
        }
        // Weighted annotators land a hair outside [1, 2] (1.0000009722); further is an error.
        if (v < 1 - 1e-3 || v > 2 + 1e-3)
            return fieldError(line, QStringLiteral("preference %1 is outside 1 (output_1 better) .. "
                                                   "2 (output_2 better)").arg(v));
        pref.preferenceB = std::clamp(v - 1, 0.0, 1.0);
    }
    items.preference = std::move(pref);
    return items;
}

Expected<RecordItems> RecordMapper::mapAlpacaEval(const json &j, qint64 line) const
{
    RS_REQUIRE_STRING(instruction, j, "instruction", QStringLiteral("instruction"));
    RS_REQUIRE_STRING(output, j, "output", QStringLiteral("output"));
    RecordItems items;
    items.line = line;
    items.promptText = instruction;
    if (auto it = j.find("dataset"); it != j.end() && it->is_string())
        items.dataset = it->get<std::string>();
    std::string generator = m_defaultGenerator;
    if (auto it = j.find("generator"); it != j.end()) {
        if (!it->is_string())
            return fieldError(line, QStringLiteral("field \"generator\" must be a string, found %1")
                                        .arg(typeName(*it)));
        generator = it->get<std::string>();
    }
    items.responses.push_back({std::move(generator), output, m_config.tier.toStdString(),
                               m_config.offPolicy});
    return items;
}

Expected<RecordItems> RecordMapper::mapRollouts(const json &j, qint64 line) const
{
    RS_REQUIRE_STRING(prompt, j, "prompt", QStringLiteral("prompt"));
    auto rit = j.find("responses");
    if (rit == j.end())
        return fieldError(line, QStringLiteral("missing field \"responses\""));
    if (!rit->is_array())
        return fieldError(line, QStringLiteral("field \"responses\" must be an array, found %1")
                                    .arg(typeName(*rit)));
    RecordItems items;
    items.line = line;
    items.promptText = prompt;
    if (auto it = j.find("id"); it != j.end())
        items.externalId = it->is_string() ? it->get<std::string>() : it->dump();
    int index = 0;
    for (const json &r : *rit) {
        const QString where = QStringLiteral("responses[%1]").arg(index++);
        if (!r.is_object())
            return fieldError(line, QStringLiteral("%1 must be an object").arg(where));
        RS_REQUIRE_STRING(text, r, "response", where + QStringLiteral(".response"));
        RS_REQUIRE_STRING(generator, r, "generator", where + QStringLiteral(".generator"));
        std::string tier = m_config.tier.toStdString();
        if (auto t = r.find("tier"); t != r.end() && t->is_string())
            tier = t->get<std::string>();
        items.responses.push_back({generator, text, tier, m_config.offPolicy});
    }
    return items;
}

Expected<RecordItems> RecordMapper::mapGeneric(const json &j, qint64 line) const
{
    const FieldMap &m = m_config.map;
    if (m.prompt.isEmpty() || m.response.isEmpty())
        return fieldError(line, QStringLiteral("the generic format needs a field map naming at "
                                               "least prompt and response"));
    const std::string promptKey = m.prompt.toStdString();
    const std::string responseKey = m.response.toStdString();
    RS_REQUIRE_STRING(prompt, j, promptKey, m.prompt);
    RS_REQUIRE_STRING(response, j, responseKey, m.response);
    RecordItems items;
    items.line = line;
    items.promptText = prompt;
    std::string generator = m_defaultGenerator;
    if (!m.generator.isEmpty()) {
        const std::string key = m.generator.toStdString();
        RS_REQUIRE_STRING(g, j, key, m.generator);
        generator = g;
    }
    std::string tier = m_config.tier.toStdString();
    if (!m.tier.isEmpty()) {
        if (const json *t = lookup(j, m.tier.toStdString()); t && t->is_string())
            tier = t->get<std::string>();
    }
    items.responses.push_back({std::move(generator), response, std::move(tier), m_config.offPolicy});
    return items;
}

Expected<RecordItems> RecordMapper::mapHealthBench(const json &j, qint64 line) const
{
    auto pit = j.find("prompt");
    if (pit == j.end())
        return fieldError(line, QStringLiteral("missing field \"prompt\""));
    if (!pit->is_array() || pit->empty())
        return fieldError(line, QStringLiteral("field \"prompt\" must be a non-empty list of "
                                               "{role, content} turns"));
    for (const json &turn : *pit) {
        if (!turn.is_object() || !turn.contains("content") || !turn["content"].is_string())
            return fieldError(line, QStringLiteral("every prompt turn needs a string \"content\""));
    }
    auto rit = j.find("rubrics");
    if (rit == j.end() || !rit->is_array())
        return fieldError(line, QStringLiteral("field \"rubrics\" must be an array"));

    RecordItems items;
    items.line = line;
    items.dataset = "healthbench";
    items.promptText = renderConversation(*pit);
    if (pit->size() > 1)
        items.conversationJson = pit->dump();
    if (auto it = j.find("prompt_id"); it != j.end() && it->is_string())
        items.externalId = it->get<std::string>();
    if (auto it = j.find("example_tags"); it != j.end() && it->is_array())
        items.tagsJson = it->dump();

    RubricItem rubric;
    rubric.scoring = "points";
    int index = 0;
    for (const json &c : *rit) {
        const QString where = QStringLiteral("rubrics[%1]").arg(index++);
        if (!c.is_object())
            return fieldError(line, QStringLiteral("%1 must be an object").arg(where));
        RS_REQUIRE_STRING(text, c, "criterion", where + QStringLiteral(".criterion"));
        auto points = c.find("points");
        if (points == c.end() || !points->is_number())
            return fieldError(line, QStringLiteral("%1.points must be a number").arg(where));
        CriterionItem item;
        item.text = text;
        item.weight = points->get<double>();
        item.category = item.weight < 0 ? "pitfall" : "";
        if (auto t = c.find("tags"); t != c.end() && t->is_array())
            item.tagsJson = t->dump();
        rubric.criteria.push_back(std::move(item));
    }
    items.rubric = std::move(rubric);

    // Physician-written ideal completions and model reference completions are real responses.
    if (auto ideal = j.find("ideal_completions_data"); ideal != j.end() && ideal->is_object()) {
        const std::string tier = m_config.tier.isEmpty() ? std::string() : m_config.tier.toStdString();
        if (auto t = ideal->find("ideal_completion"); t != ideal->end() && t->is_string())
            items.responses.push_back({"healthbench-ideal", t->get<std::string>(),
                                       tier.empty() ? "ideal" : tier, m_config.offPolicy});
        if (auto refs = ideal->find("ideal_completions_ref_completions");
            refs != ideal->end() && refs->is_array()) {
            int n = 0;
            for (const json &r : *refs) {
                ++n;
                if (r.is_string())
                    items.responses.push_back({"healthbench-ref-" + std::to_string(n),
                                               r.get<std::string>(),
                                               tier.empty() ? "reference" : tier,
                                               m_config.offPolicy});
            }
        }
    }
    return items;
}

Expected<RecordItems> RecordMapper::mapRubrics(const json &j, qint64 line) const
{
    RS_REQUIRE_STRING(prompt, j, "prompt", QStringLiteral("prompt"));
    auto rit = j.find("rubrics");
    if (rit == j.end() || !rit->is_array())
        return fieldError(line, QStringLiteral("field \"rubrics\" must be an array"));
    RecordItems items;
    items.line = line;
    items.promptText = prompt;
    RubricItem rubric;
    rubric.scoring = "weights";
    int index = 0;
    for (const json &c : *rit) {
        const QString where = QStringLiteral("rubrics[%1]").arg(index++);
        if (!c.is_object())
            return fieldError(line, QStringLiteral("%1 must be an object").arg(where));
        RS_REQUIRE_STRING(text, c, "criterion", where + QStringLiteral(".criterion"));
        CriterionItem item;
        item.text = text;
        auto w = c.find("weight");
        if (w == c.end())
            return fieldError(line, QStringLiteral("missing field \"%1.weight\"").arg(where));
        if (!w->is_number())
            return fieldError(line, QStringLiteral("field \"%1.weight\" must be a number, found %2")
                                        .arg(where, typeName(*w)));
        item.weight = w->get<double>();
        if (auto cat = c.find("category"); cat != c.end() && cat->is_string())
            item.category = cat->get<std::string>();
        if (auto check = c.find("check"); check != c.end() && !check->is_null()) {
            auto spec = rubric::checkFromJson(*check);
            if (!spec)
                return fieldError(line, where + QStringLiteral(".check: ") + spec.error().message);
            item.checkJson = rubric::checkToJson(spec.value()).dump();
        }
        if (auto veto = c.find("veto"); veto != c.end() && !veto->is_null()) {
            if (!veto->is_boolean())
                return fieldError(line, QStringLiteral("field \"%1.veto\" must be true or false, "
                                                       "found %2")
                                            .arg(where, typeName(*veto)));
            item.veto = veto->get<bool>();
        }
        rubric.criteria.push_back(std::move(item));
    }
    if (auto agg = j.find("aggregation"); agg != j.end() && !agg->is_null()) {
        auto spec = judge::aggregationFromJson(*agg);
        if (!spec)
            return fieldError(line, QStringLiteral("aggregation: ") + spec.error().message);
        // The formula is the rubric's scoring, which every reader already follows.
        rubric.scoring = spec->type == judge::Aggregation::Points ? "points" : "weights";
        rubric.aggregationJson = judge::aggregationToJson(spec.value()).dump();
    }
    items.rubric = std::move(rubric);
    return items;
}

#undef RS_REQUIRE_STRING

} // namespace rs::import
