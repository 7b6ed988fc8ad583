#include "judge/judgesettings.h"

#include "providers/providerlistmodel.h"

#include <QSettings>

namespace rs::ui {
namespace {

// Typed settings, declared next to their use.
const QString kGroup = QStringLiteral("judgeRun");
const QString kProviderKey = QStringLiteral("provider");
const QString kModeKey = QStringLiteral("mode");
const QString kWeightsKey = QStringLiteral("showWeights");
const QString kGradingsKey = QStringLiteral("gradings");
const QString kTemperatureKey = QStringLiteral("temperature");
const QString kRepeatKey = QStringLiteral("repeatTemperature");
const QString kTierKey = QStringLiteral("tier");
const QString kRetriesKey = QStringLiteral("parseRetries");
const QString kCapKey = QStringLiteral("spendingCap");
const QString kSystemKey = QStringLiteral("systemTemplate"); // only when edited
const QString kUserKey = QStringLiteral("userTemplate");

} // namespace

judge::JudgeConfig JudgeSettings::load(const ProviderListModel &providers)
{
    QSettings s;
    s.beginGroup(kGroup);
    judge::JudgeConfig c;
    c.provider = providers.provider(providers.rowOf(s.value(kProviderKey).toString()));
    c.mode = judge::JudgeMode(s.value(kModeKey, int(judge::JudgeMode::Joint)).toInt());
    c.showWeights = s.value(kWeightsKey, false).toBool();
    c.gradings = s.value(kGradingsKey, 1).toInt();
    c.temperature = s.value(kTemperatureKey, 0.0).toDouble();
    c.repeatTemperature = s.value(kRepeatKey, 0.7).toDouble();
    c.tier = s.value(kTierKey).toString();
    c.parseRetries = s.value(kRetriesKey, 2).toInt();
    c.systemTemplate = s.value(kSystemKey).toString();
    c.userTemplate = s.value(kUserKey).toString();
    return c;
}

void JudgeSettings::save(const judge::JudgeConfig &c)
{
    QSettings s;
    s.beginGroup(kGroup);
    s.setValue(kProviderKey, c.provider.name);
    s.setValue(kModeKey, int(c.mode));
    s.setValue(kWeightsKey, c.showWeights);
    s.setValue(kGradingsKey, c.gradings);
    s.setValue(kTemperatureKey, c.temperature);
    s.setValue(kRepeatKey, c.repeatTemperature);
    s.setValue(kTierKey, c.tier);
    s.setValue(kRetriesKey, c.parseRetries);
    // Built-in templates are not stored, so a newer built-in version reaches the user.
    if (c.systemTemplate.isEmpty())
        s.remove(kSystemKey);
    else
        s.setValue(kSystemKey, c.systemTemplate);
    if (c.userTemplate.isEmpty())
        s.remove(kUserKey);
    else
        s.setValue(kUserKey, c.userTemplate);
}

double JudgeSettings::spendingCap()
{
    return QSettings().value(kGroup + QLatin1Char('/') + kCapKey, 0.0).toDouble();
}

void JudgeSettings::setSpendingCap(double usd)
{
    QSettings().setValue(kGroup + QLatin1Char('/') + kCapKey, usd);
}

} // namespace rs::ui
