#include "metricoptions.h"

namespace rs::analytics {

QString tiePolicyName(TiePolicy policy) {
    return policy == TiePolicy::Half ? QStringLiteral("half") : QStringLiteral("wrong");
}

std::optional<TiePolicy> tiePolicyFromName(const QString &name) {
    if (name == QLatin1String("wrong"))
        return TiePolicy::Wrong;
    if (name == QLatin1String("half"))
        return TiePolicy::Half;
    return std::nullopt;
}

QString regionPolicyName(RegionPolicy policy) {
    switch (policy) {
    case RegionPolicy::Tiers:
        return QStringLiteral("tiers");
    case RegionPolicy::GoldQuantile:
        return QStringLiteral("gold-quantile");
    case RegionPolicy::ScoreQuantile:
        return QStringLiteral("score-quantile");
    }
    return {};
}

std::optional<RegionPolicy> regionPolicyFromName(const QString &name) {
    for (RegionPolicy p :
         {RegionPolicy::Tiers, RegionPolicy::GoldQuantile, RegionPolicy::ScoreQuantile})
        if (regionPolicyName(p) == name)
            return p;
    return std::nullopt;
}

} // namespace rs::analytics
