#include "contrastivepairs.h"

#include "analytics/metricoptions.h"
#include "analytics/projectmetrics.h"
#include "judge/verdicttally.h"
#include "pairselection.h"
#include "store/database.h"

#include <QSet>

#include <cmath>

namespace rs::authoring {
namespace {

Expected<QHash<qint64, QList<KnownPreference>>> goldPairs(store::Database &db, const PairOptions &o,
                                                          const QSet<qint64> &wanted) {
    // The most decided preferences first: a 0.9 says more about the prompt than a 0.6.
    auto st = db.prepare("SELECT p.prompt_id, p.response_a, p.response_b, p.preference"
                         " FROM preferences p"
                         " JOIN responses a ON a.id = p.response_a AND a.is_empty = 0"
                         " JOIN responses b ON b.id = p.response_b AND b.is_empty = 0"
                         " WHERE p.preference IS NOT NULL AND p.preference != 0.5"
                         " ORDER BY p.prompt_id, abs(p.preference - 0.5) DESC, p.id");
    if (!st)
        return st.error();
    QHash<qint64, QList<KnownPreference>> out;
    auto read = st->forEach([&] {
        const qint64 prompt = st->columnInt(0);
        if (!wanted.isEmpty() && !wanted.contains(prompt))
            return;
        auto &list = out[prompt];
        if (list.size() >= o.maxPairs)
            return;
        const qint64 a = st->columnInt(1);
        const qint64 b = st->columnInt(2);
        list.push_back(st->columnDouble(3) > 0.5 ? KnownPreference{b, a} : KnownPreference{a, b});
    });
    if (!read)
        return read.error();
    return out;
}

Expected<QHash<qint64, QList<KnownPreference>>> tierPairs(store::Database &db, const PairOptions &o,
                                                          const QSet<qint64> &wanted) {
    QString better = o.betterTier.toLower();
    QString worse = o.worseTier.toLower();
    if (better.isEmpty() || worse.isEmpty()) {
        analytics::MetricOptions tiers;
        if (auto r = analytics::adaptTiersToProject(db, tiers); !r)
            return r.error();
        better = better.isEmpty() ? tiers.tierA : better;
        worse = worse.isEmpty() ? tiers.tierB : worse;
    }
    if (better == worse)
        return makeError(
            QStringLiteral("the better and the worse tier are both \"%1\"").arg(better));
    auto st = db.prepare("SELECT prompt_id, id, lower(tier) FROM responses"
                         " WHERE is_empty = 0 AND lower(tier) IN (?1, ?2) ORDER BY prompt_id, id");
    if (!st)
        return st.error();
    st->bind(1, better);
    st->bind(2, worse);
    QHash<qint64, std::pair<QList<qint64>, QList<qint64>>> byPrompt;
    auto read = st->forEach([&] {
        const qint64 prompt = st->columnInt(0);
        if (!wanted.isEmpty() && !wanted.contains(prompt))
            return;
        auto &sides = byPrompt[prompt];
        (st->columnText(2) == better ? sides.first : sides.second).push_back(st->columnInt(1));
    });
    if (!read)
        return read.error();
    QHash<qint64, QList<KnownPreference>> out;
    for (auto it = byPrompt.cbegin(); it != byPrompt.cend(); ++it) {
        const auto &[up, down] = it.value();
        const qsizetype n = std::min({up.size(), down.size(), qsizetype(o.maxPairs)});
        for (qsizetype i = 0; i < n; ++i)
            out[it.key()].push_back(KnownPreference{up[i], down[i]});
    }
    return out;
}

Expected<QHash<qint64, QList<KnownPreference>>> topPairs(store::Database &db, const PairOptions &o,
                                                         const QSet<qint64> &wanted) {
    judge::TallyOptions to;
    to.runId = o.runId;
    auto tally = judge::VerdictTally::load(db, to);
    if (!tally)
        return tally.error();
    if (!tally->run().id)
        return makeError(QStringLiteral("pairs from the top two need a judge run; judge first"));
    QHash<qint64, QList<PoolEntry>> pools;
    for (const auto &r : tally->responses())
        if (r.prompt >= 0 && r.length > 0 && (wanted.isEmpty() || wanted.contains(r.promptId)))
            pools[r.promptId].push_back(
                PoolEntry{r.responseId, tally->reward(r, judge::MissingPolicy::CountAsNo)});
    QHash<qint64, QList<KnownPreference>> out;
    for (auto it = pools.cbegin(); it != pools.cend(); ++it) {
        auto pair = selectPair(it.value(), PairSelection::Top2, 0, it.key(), 0);
        if (pair && pair->scoreA > pair->scoreB)
            out[it.key()].push_back(KnownPreference{pair->a, pair->b});
    }
    return out;
}

} // namespace

QString pairSourceName(PairSource source) {
    switch (source) {
    case PairSource::Gold:
        return QStringLiteral("gold");
    case PairSource::Tiers:
        return QStringLiteral("tiers");
    case PairSource::Top2:
        return QStringLiteral("top2");
    }
    return {};
}

std::optional<PairSource> pairSourceFromName(const QString &name) {
    for (PairSource s : {PairSource::Gold, PairSource::Tiers, PairSource::Top2})
        if (name == pairSourceName(s))
            return s;
    return std::nullopt;
}

Expected<QHash<qint64, QList<KnownPreference>>> knownPreferences(store::Database &db,
                                                                 const PairOptions &options) {
    if (options.maxPairs < 1)
        return makeError(QStringLiteral("at least one pair per prompt is needed"));
    const QSet<qint64> wanted(options.promptIds.cbegin(), options.promptIds.cend());
    switch (options.source) {
    case PairSource::Gold:
        return goldPairs(db, options, wanted);
    case PairSource::Tiers:
        return tierPairs(db, options, wanted);
    case PairSource::Top2:
        return topPairs(db, options, wanted);
    }
    return QHash<qint64, QList<KnownPreference>>{};
}

} // namespace rs::authoring
