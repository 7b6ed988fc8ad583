#include "packtypes.h"

namespace rs::pack {

QString formatName(PackFormat format)
{
    switch (format) {
    case PackFormat::Native: return QStringLiteral("native");
    case PackFormat::Paper: return QStringLiteral("paper");
    case PackFormat::HealthBench: return QStringLiteral("healthbench");
    case PackFormat::Rar: return QStringLiteral("rar");
    }
    return {};
}

std::optional<PackFormat> formatFromName(const QString &name)
{
    for (PackFormat f : {PackFormat::Native, PackFormat::Paper, PackFormat::HealthBench, PackFormat::Rar})
        if (formatName(f) == name)
            return f;
    return std::nullopt;
}

QStringList formatNames()
{
    return {QStringLiteral("native"), QStringLiteral("paper"), QStringLiteral("healthbench"),
            QStringLiteral("rar")};
}

QStringList formatLosses(PackFormat format)
{
    switch (format) {
    case PackFormat::Native:
        return {};
    case PackFormat::Paper:
        return {
            QStringLiteral("criterion ids: renumbered c1..cN on import"),
            QStringLiteral("categories and tags"),
            QStringLiteral("criteria checked by code: the check is dropped and the judge "
                           "grades them from their text"),
            QStringLiteral("veto flags, the veto cap and shaping: the reward is the plain "
                           "formula"),
            QStringLiteral("the implicit aggregation (one holistic 1-10 judge score with the "
                           "rubric as guidance): its criteria travel and the reward is the "
                           "format's formula over their verdicts"),
            QStringLiteral("HealthBench points become weights of the same sign and size; the "
                           "points formula (met points over positive points, clipped) becomes "
                           "the weighted sum Σw·V/Σw"),
            QStringLiteral("conversation turns: a multi-turn prompt travels as its rendered text")};
    case PackFormat::HealthBench:
        return {
            QStringLiteral("criterion ids: renumbered c1..cN on import"),
            QStringLiteral("categories other than pitfall (a pitfall is a negative point value)"),
            QStringLiteral("criteria checked by code: the check is dropped and the judge "
                           "grades them from their text"),
            QStringLiteral("veto flags, the veto cap and shaping: the reward is the plain "
                           "formula"),
            QStringLiteral("the implicit aggregation (one holistic 1-10 judge score with the "
                           "rubric as guidance): its criteria travel and the reward is the "
                           "format's formula over their verdicts"),
            QStringLiteral("weights become points of the same size (pitfalls negative); the "
                           "weighted-sum formula becomes HealthBench's clipped points formula")};
    case PackFormat::Rar:
        return {
            QStringLiteral("criterion ids: renumbered c1..cN on import"),
            QStringLiteral("tags; categories other than essential/important/optional/pitfall"),
            QStringLiteral("criteria checked by code: the check is dropped and the judge "
                           "grades them from their text"),
            QStringLiteral("veto flags, the veto cap and shaping: the reward is the plain "
                           "formula"),
            QStringLiteral("the implicit aggregation (one holistic 1-10 judge score with the "
                           "rubric as guidance): its criteria travel and the reward is the "
                           "format's formula over their verdicts"),
            QStringLiteral(
                "weights and points are mapped to RaR's scale (Essential 5, Important 3, "
                "Optional 1, Pitfall −1 or −2) unless the criterion already has a RaR "
                "category, which keeps its weight"),
            QStringLiteral(
                "titles are written from the criterion's first words and dropped on import"),
            QStringLiteral("HealthBench's clipped points formula becomes the weighted sum"),
            QStringLiteral("conversation turns: a multi-turn prompt travels as its rendered text")};
    }
    return {};
}

} // namespace rs::pack
