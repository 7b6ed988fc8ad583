#include "importconfig.h"

namespace rs::import {
namespace {
struct Named {
    Format format;
    const char *name;
};
constexpr Named kNames[] = {
    {Format::Auto, "auto"},       {Format::AlpacaEval, "alpacaeval"},
    {Format::Rollouts, "rollouts"}, {Format::Jsonl, "jsonl"},
    {Format::HealthBench, "healthbench"}, {Format::Rubrics, "rubrics"},
    {Format::Pairwise, "pairwise"},
};
} // namespace

QString formatName(Format format)
{
    for (const auto &n : kNames)
        if (n.format == format)
            return QLatin1String(n.name);
    return {};
}

std::optional<Format> formatFromName(const QString &name)
{
    for (const auto &n : kNames)
        if (name == QLatin1String(n.name))
            return n.format;
    return std::nullopt;
}

QStringList formatNames()
{
    QStringList out;
    for (const auto &n : kNames)
        out << QLatin1String(n.name);
    return out;
}

std::optional<FieldMap> FieldMap::parse(const QString &spec, QString *error)
{
    FieldMap map;
    const QStringList parts = spec.split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        const qsizetype eq = part.indexOf(QLatin1Char('='));
        const QString key = part.left(eq).trimmed();
        const QString field = eq < 0 ? QString() : part.mid(eq + 1).trimmed();
        if (eq < 0 || field.isEmpty()) {
            *error = QStringLiteral("mapping \"%1\" is not KEY=FIELD").arg(part);
            return std::nullopt;
        }
        if (key == QLatin1String("prompt"))
            map.prompt = field;
        else if (key == QLatin1String("response"))
            map.response = field;
        else if (key == QLatin1String("generator"))
            map.generator = field;
        else if (key == QLatin1String("tier"))
            map.tier = field;
        else {
            *error = QStringLiteral("unknown mapping key \"%1\" (use prompt, response, generator, "
                                    "tier)")
                         .arg(key);
            return std::nullopt;
        }
    }
    return map;
}

QString ImportWarning::toString() const
{
    if (line > 0)
        return file + QLatin1Char(':') + QString::number(line) + QStringLiteral(": ") + message;
    return file + QStringLiteral(": ") + message;
}

} // namespace rs::import
