#include "aggregationjson.h"
#include "common/boundedjson.h"

#include <nlohmann/json.hpp>

#include <cmath>

using nlohmann::json;

namespace rs::judge {
namespace {

Error aggregationError(const QString &message) {
    return makeError(message);
}

// Whole numbers print as integers so the stored text of an equal spec is always the same.
json aggregationNumber(double v) {
    if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15)
        return json(std::int64_t(v));
    return json(v);
}

} // namespace

QString aggregationTypeName(Aggregation type) {
    switch (type) {
    case Aggregation::Points:
        return QStringLiteral("points");
    case Aggregation::Implicit:
        return QStringLiteral("implicit");
    case Aggregation::WeightedSum:
        break;
    }
    return QStringLiteral("weighted_sum");
}

Expected<AggregationSpec> aggregationFromJson(const json &j) {
    if (!j.is_object())
        return aggregationError(QStringLiteral("must be an object with a \"type\""));
    AggregationSpec spec;
    for (const auto &[key, value] : j.items())
        if (key != "type" && key != "veto_cap" && key != "shaping")
            return aggregationError(QStringLiteral("unknown field \"%1\" (type, veto_cap, shaping)")
                                        .arg(QString::fromStdString(key)));
    const auto t = j.find("type");
    const std::string type = t != j.end() && t->is_string() ? t->get<std::string>() : "";
    if (type == "weighted_sum")
        spec.type = Aggregation::WeightedSum;
    else if (type == "points")
        spec.type = Aggregation::Points;
    else if (type == "implicit")
        spec.type = Aggregation::Implicit;
    else
        return aggregationError(
            QStringLiteral("\"type\" must be weighted_sum, points or implicit"));
    if (const auto cap = j.find("veto_cap"); cap != j.end()) {
        if (!cap->is_number() || cap->get<double>() < 0 || cap->get<double>() > 1)
            return aggregationError(QStringLiteral("\"veto_cap\" must be a number in [0, 1]"));
        spec.vetoCap = cap->get<double>();
    }
    if (const auto sh = j.find("shaping"); sh != j.end() && !sh->is_null()) {
        const auto st = sh->is_object() ? sh->find("type") : sh->end();
        const auto k = sh->is_object() ? sh->find("exponent") : sh->end();
        const std::string kind = st != sh->end() && st->is_string() ? st->get<std::string>() : "";
        if (kind != "power" && kind != "exponential")
            return aggregationError(
                QStringLiteral("\"shaping\" must be {\"type\": \"power\" | \"exponential\", "
                               "\"exponent\": k}"));
        if (k == sh->end() || !k->is_number() || !std::isfinite(k->get<double>()))
            return aggregationError(QStringLiteral("shaping needs a number \"exponent\""));
        spec.shaping = kind == "power" ? Shaping::Power : Shaping::Exponential;
        spec.exponent = k->get<double>();
        if (spec.shaping == Shaping::Power && spec.exponent <= 0)
            return aggregationError(QStringLiteral("a power shaping needs an exponent above 0"));
        for (const auto &[key, value] : sh->items())
            if (key != "type" && key != "exponent")
                return aggregationError(
                    QStringLiteral("shaping takes no \"%1\"").arg(QString::fromStdString(key)));
    }
    return spec;
}

json aggregationToJson(const AggregationSpec &spec) {
    json j{{"type", aggregationTypeName(spec.type).toStdString()},
           {"veto_cap", aggregationNumber(spec.vetoCap)}};
    if (spec.shaping != Shaping::None)
        j["shaping"] = json{{"type", spec.shaping == Shaping::Power ? "power" : "exponential"},
                            {"exponent", aggregationNumber(spec.exponent)}};
    return j;
}

QString aggregationToText(const AggregationSpec &spec) {
    return QString::fromStdString(aggregationToJson(spec).dump());
}

AggregationSpec aggregationFromText(const QString &text, const QString &scoring) {
    AggregationSpec spec;
    if (!text.isEmpty()) {
        const json j = parseBoundedJson(text.toStdString());
        if (!j.is_discarded())
            if (auto parsed = aggregationFromJson(j); parsed)
                spec = parsed.value();
    }
    // The rubric's scoring decides the formula: weights and points are read by it everywhere.
    // An implicit rubric keeps its type: its weights are guidance for the holistic score.
    if (spec.type != Aggregation::Implicit)
        spec.type = aggregationFor(scoring);
    return spec;
}

bool isImplicitAggregation(const QString &text) {
    // Most versions carry no aggregation or a plain one: skip the parse for them.
    return text.contains(QLatin1String("\"implicit\"")) &&
           aggregationFromText(text, QString()).type == Aggregation::Implicit;
}

QString aggregationSummary(const AggregationSpec &spec) {
    QString s = aggregationTypeName(spec.type);
    if (spec.vetoCap != 0)
        s += QStringLiteral(" · veto cap %1").arg(spec.vetoCap);
    if (spec.shaping != Shaping::None)
        s += QStringLiteral(" · %1 %2")
                 .arg(spec.shaping == Shaping::Power ? QStringLiteral("power")
                                                     : QStringLiteral("exponential"))
                 .arg(spec.exponent);
    return s;
}

} // namespace rs::judge
