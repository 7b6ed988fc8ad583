#include "servedpool.h"

#include "common/splitmix.h"
#include "store/database.h"

#include <algorithm>
#include <utility>

namespace rs::authoring {
namespace {

// What counts as a served response, for `latest` and for the step's rows alike: rewarded (a
// failed or unknown-prompt item told the trainer nothing) and not empty.
constexpr char kServedRows[] = " FROM served_rewards s JOIN responses r ON r.id = s.response_id"
                               " WHERE s.status = 'ok' AND r.is_empty = 0";

/// Keeps `keep` of the ids by a partial Fisher-Yates shuffle, then sorts them back, so the
/// pool reads in id order like an unsampled one.
QList<qint64> draw(QList<qint64> ids, int keep, std::uint64_t seed, qint64 step, qint64 promptId) {
    // Each (seed, step, prompt) gets its own stream: neighbouring prompts draw independently.
    SplitMix64 mix(seed);
    SplitMix64 rng(mix.next() ^ SplitMix64(std::uint64_t(step)).next() ^
                   SplitMix64(~std::uint64_t(promptId)).next());
    for (qsizetype i = 0; i < keep; ++i) {
        const qsizetype j = i + qsizetype(rng.below(std::int64_t(ids.size() - i)));
        ids.swapItemsAt(i, j);
    }
    ids.resize(keep);
    std::sort(ids.begin(), ids.end());
    return ids;
}

} // namespace

qint64 ServedResponses::responses() const {
    qint64 n = 0;
    for (const auto &ids : byPrompt)
        n += ids.size();
    return n;
}

Expected<ServedResponses> loadServedResponses(store::Database &db, const ServedPool &pool,
                                              std::uint64_t seed) {
    if (pool.sample < 0 || pool.sample == 1)
        return makeError(QStringLiteral("a served pool's sample needs at least two responses per "
                                        "prompt (a round compares two)"));
    ServedResponses out;
    if (pool.step) {
        out.step = *pool.step;
    } else {
        auto newest = db.prepare(std::string("SELECT max(s.step)") + kServedRows);
        if (!newest)
            return newest.error();
        auto row = newest->step();
        if (!row)
            return row.error();
        if (!*row || newest->columnIsNull(0))
            return makeError(QStringLiteral("no training step has served responses yet: run "
                                            "`serve` and point a trainer at it"));
        out.step = newest->columnInt(0);
    }
    auto st = db.prepare(std::string("SELECT DISTINCT r.prompt_id, r.id, s.run_id") + kServedRows +
                         " AND s.step = ?1 ORDER BY r.prompt_id, r.id");
    if (!st)
        return st.error();
    st->bind(1, std::int64_t(out.step));
    QSet<qint64> seen;
    auto read = st->forEach([&] {
        const qint64 id = st->columnInt(1);
        if (!st->columnIsNull(2))
            out.runIds.insert(st->columnInt(2));
        if (seen.contains(id))
            return; // served again under another run: one response all the same
        seen.insert(id);
        out.byPrompt[st->columnInt(0)].push_back(id);
    });
    if (!read)
        return read.error();
    if (seen.isEmpty())
        return makeError(QStringLiteral("step %1 has no served responses (no non-empty response "
                                        "was rewarded at that step)")
                             .arg(out.step));
    out.served = seen.size();
    if (pool.sample > 0)
        for (auto it = out.byPrompt.begin(); it != out.byPrompt.end(); ++it)
            if (it->size() > pool.sample)
                *it = draw(std::move(*it), pool.sample, seed, out.step, it.key());
    return out;
}

} // namespace rs::authoring
