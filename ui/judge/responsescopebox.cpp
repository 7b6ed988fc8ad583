#include "judge/responsescopebox.h"

#include "common/asynctask.h"
#include "common/uitext.h"
#include "store/database.h"

#include <QLocale>

namespace rs::ui {
namespace {

struct TierCount {
    QString tier;
    qint64 responses = 0;
};

Expected<QList<TierCount>> readTiers(store::Database &db)
{
    auto st = db.prepare("SELECT coalesce(tier, ''), count(*) FROM responses GROUP BY 1"
                         " ORDER BY count(*) DESC, 1");
    if (!st)
        return st.error();
    QList<TierCount> tiers;
    auto read = st->forEach([&] { tiers.append({st->columnText(0), st->columnInt(1)}); });
    if (!read)
        return read.error();
    return tiers;
}

} // namespace

ResponseScopeBox::ResponseScopeBox(QWidget *parent)
    : QComboBox(parent)
{
    addItem(tr("All responses"), QString());
}

void ResponseScopeBox::load(const QString &path, const QString &wantedTier)
{
    runDbQuery<QList<TierCount>>(
        this, path, [](store::Database &db) { return readTiers(db); },
        [this, wantedTier](Expected<QList<TierCount>> tiers) {
            if (!tiers)
                return; // "All responses" still works
            qint64 all = 0;
            for (const TierCount &t : tiers.value())
                all += t.responses;
            {
                const QSignalBlocker block(this);
                clear();
                addItem(tr("All responses (%1)").arg(QLocale().toString(all)), QString());
                for (const TierCount &t : tiers.value())
                    if (!t.tier.isEmpty())
                        addItem(tr("Tier “%1” (%2)")
                                    .arg(t.tier,
                                         countText(t.responses, tr("response"), tr("responses"))),
                                t.tier);
                setCurrentIndex(qMax(0, findData(wantedTier)));
            }
            Q_EMIT loaded();
        });
}

} // namespace rs::ui
