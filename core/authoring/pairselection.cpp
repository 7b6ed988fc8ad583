#include "pairselection.h"

#include <algorithm>
#include <random>

namespace rs::authoring {

QString selectionName(PairSelection s)
{
    switch (s) {
    case PairSelection::Top2:
        return QStringLiteral("top2");
    case PairSelection::Tied:
        return QStringLiteral("tied");
    case PairSelection::Manual:
        return QStringLiteral("manual");
    }
    return {};
}

Expected<SelectedPair> selectPair(QList<PoolEntry> pool, PairSelection mode, std::uint64_t seed,
                                  qint64 promptId, int round,
                                  std::optional<std::pair<qint64, qint64>> manual)
{
    if (pool.size() < 2)
        return makeError(QStringLiteral("fewer than two responses left in the pool"));
    std::sort(pool.begin(), pool.end(), [](const PoolEntry &x, const PoolEntry &y) {
        return x.reward != y.reward ? x.reward > y.reward : x.responseId < y.responseId;
    });
    SelectedPair out;
    out.topScore = pool.front().reward;
    out.tiesAtTop = int(std::count_if(pool.begin(), pool.end(),
                                      [&](const PoolEntry &e) { return e.reward == out.topScore; }));
    auto rewardOf = [&](qint64 id) -> std::optional<double> {
        for (const auto &e : pool)
            if (e.responseId == id)
                return e.reward;
        return std::nullopt;
    };

    if (mode == PairSelection::Manual) {
        if (!manual || manual->first == manual->second)
            return makeError(QStringLiteral("a hand-picked pair needs two different response ids"));
        const auto ra = rewardOf(manual->first);
        const auto rb = rewardOf(manual->second);
        if (!ra || !rb)
            return makeError(QStringLiteral("response %1 is not in the prompt's remaining pool")
                                 .arg(!ra ? manual->first : manual->second));
        out.a = manual->first;
        out.b = manual->second;
        out.scoreA = *ra;
        out.scoreB = *rb;
        return out;
    }

    qsizetype first = 0, second = 1;
    if (mode == PairSelection::Tied) {
        // Mix the inputs into one seed so neighbouring prompts and rounds draw independently.
        std::seed_seq seq{std::uint32_t(seed), std::uint32_t(seed >> 32), std::uint32_t(promptId),
                          std::uint32_t(promptId >> 32), std::uint32_t(round)};
        std::mt19937_64 rng(seq);
        auto tiedWith = [&](qsizetype from) {
            qsizetype n = 0;
            while (from + n < pool.size() && pool[from + n].reward == pool[from].reward)
                ++n;
            return n;
        };
        const qsizetype topTied = tiedWith(0);
        if (topTied >= 2) {
            // Two distinct draws among the tied top.
            first = qsizetype(rng() % quint64(topTied));
            second = qsizetype(rng() % quint64(topTied - 1));
            if (second >= first)
                ++second;
        } else {
            first = 0;
            second = 1 + qsizetype(rng() % quint64(tiedWith(1)));
        }
    }
    out.a = pool[first].responseId;
    out.b = pool[second].responseId;
    out.scoreA = pool[first].reward;
    out.scoreB = pool[second].reward;
    return out;
}

} // namespace rs::authoring
