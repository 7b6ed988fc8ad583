#include "verdicts/missingverdictsetting.h"

#include <QActionGroup>
#include <QCoreApplication>
#include <QMenu>
#include <QSettings>

namespace rs::ui {
namespace {

const QString kKey = QStringLiteral("scoring/missingVerdicts");

} // namespace

MissingVerdictSetting::MissingVerdictSetting(QObject *parent)
    : QObject(parent)
{
    reload();
}

MissingVerdictSetting *MissingVerdictSetting::instance()
{
    // Parented to the application, so it goes before QCoreApplication does.
    static MissingVerdictSetting *setting = new MissingVerdictSetting(QCoreApplication::instance());
    return setting;
}

QString MissingVerdictSetting::name(judge::MissingPolicy policy)
{
    return policy == judge::MissingPolicy::Drop ? QStringLiteral("drop") : QStringLiteral("no");
}

QString MissingVerdictSetting::description(judge::MissingPolicy policy)
{
    return policy == judge::MissingPolicy::Drop ? tr("missing verdicts left out")
                                                : tr("missing verdicts count as no");
}

void MissingVerdictSetting::reload()
{
    const auto saved = QSettings().value(kKey).toString() == name(judge::MissingPolicy::Drop)
                           ? judge::MissingPolicy::Drop
                           : judge::MissingPolicy::CountAsNo;
    if (saved == m_policy)
        return;
    m_policy = saved;
    Q_EMIT changed(m_policy);
}

void MissingVerdictSetting::setPolicy(judge::MissingPolicy policy)
{
    QSettings().setValue(kKey, name(policy));
    if (policy == m_policy)
        return;
    m_policy = policy;
    Q_EMIT changed(policy);
}

void MissingVerdictSetting::addMenu(QMenu *menu)
{
    QMenu *sub = menu->addMenu(tr("&Missing Verdicts"));
    sub->setToolTipsVisible(true);
    auto *group = new QActionGroup(sub);
    const struct {
        judge::MissingPolicy policy;
        QString text;
        QString tip;
    } choices[] = {
        {judge::MissingPolicy::CountAsNo, tr("Count as &No (as the paper)"),
         tr("A criterion without a usable verdict scores 0 and stays in the denominator")},
        {judge::MissingPolicy::Drop, tr("&Leave Out of the Reward"),
         tr("A criterion without a usable verdict leaves the denominator: the reward is over the "
            "criteria that were judged")},
    };
    for (const auto &c : choices) {
        QAction *action = sub->addAction(c.text);
        action->setToolTip(c.tip);
        action->setStatusTip(c.tip);
        action->setCheckable(true);
        action->setChecked(m_policy == c.policy);
        action->setData(int(c.policy));
        action->setObjectName(QStringLiteral("missingVerdicts_") + name(c.policy));
        group->addAction(action);
        connect(action, &QAction::triggered, this,
                [this, policy = c.policy] { setPolicy(policy); });
    }
    connect(this, &MissingVerdictSetting::changed, sub, [group](judge::MissingPolicy policy) {
        for (QAction *action : group->actions())
            action->setChecked(action->data().toInt() == int(policy));
    });
}

} // namespace rs::ui
