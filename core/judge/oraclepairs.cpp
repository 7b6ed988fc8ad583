#include "oraclepairs.h"

#include "store/database.h"

#include <map>
#include <set>

namespace rs::judge {

Expected<std::vector<OraclePair>> oraclePairs(store::Database &db, const OraclePairOptions &options) {
    std::set<std::pair<qint64, qint64>> asked;
    auto done = db.prepare("SELECT response_a, response_b FROM preferences WHERE source = 'oracle'");
    if (!done)
        return done.error();
    auto readDone = done->forEach([&] {
        const qint64 a = done->columnInt(0), b = done->columnInt(1);
        asked.insert({std::min(a, b), std::max(a, b)});
    });
    if (!readDone)
        return readDone.error();

    struct Response {
        qint64 id;
        QString tier;
    };
    std::map<qint64, std::vector<Response>> byPrompt;
    auto rs = db.prepare("SELECT id, prompt_id, lower(tier) FROM responses ORDER BY prompt_id, id");
    if (!rs)
        return rs.error();
    auto read = rs->forEach([&] {
        const qint64 prompt = rs->columnInt(1);
        if (options.promptIds.isEmpty() || options.promptIds.contains(prompt))
            byPrompt[prompt].push_back({rs->columnInt(0), rs->columnText(2)});
    });
    if (!read)
        return read.error();

    const bool byTier = !options.tierA.isEmpty() && !options.tierB.isEmpty();
    const QString tierA = options.tierA.toLower(), tierB = options.tierB.toLower();
    std::vector<OraclePair> out;
    for (const auto &[prompt, responses] : byPrompt) {
        for (std::size_t i = 0; i < responses.size(); ++i)
            for (std::size_t j = byTier ? 0 : i + 1; j < responses.size(); ++j) {
                if (int(out.size()) >= options.maxPairs)
                    return out;
                const Response &a = responses[i], &b = responses[j];
                if (a.id == b.id || (byTier && (a.tier != tierA || b.tier != tierB)))
                    continue;
                if (asked.count({std::min(a.id, b.id), std::max(a.id, b.id)}))
                    continue;
                out.push_back({prompt, a.id, b.id});
            }
    }
    return out;
}

} // namespace rs::judge
