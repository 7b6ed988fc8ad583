#include "topresponses.h"

#include "judge/verdicttally.h"

#include <QJsonArray>

#include <algorithm>

namespace rs::rubric {

QJsonObject TopSelection::toJson() const {
    if (byTier())
        return {{QStringLiteral("top_tiers"), QJsonArray::fromStringList(tiers)}};
    return {{QStringLiteral("top_k"), k}};
}

QString TopSelection::describe() const {
    if (byTier())
        return QStringLiteral("tiers %1").arg(tiers.join(QStringLiteral(", ")));
    return QStringLiteral("top %1 by reward").arg(k);
}

std::vector<std::vector<std::size_t>> responsesByPrompt(const judge::VerdictTally &tally) {
    std::vector<std::vector<std::size_t>> out(tally.prompts().size());
    const auto &responses = tally.responses();
    for (std::size_t i = 0; i < responses.size(); ++i)
        if (responses[i].prompt >= 0)
            out[std::size_t(responses[i].prompt)].push_back(i);
    return out;
}

std::vector<std::size_t> topResponses(const judge::VerdictTally &tally,
                                      const std::vector<std::size_t> &members,
                                      const TopSelection &top, judge::MissingPolicy missing) {
    std::vector<std::pair<double, std::size_t>> ranked;
    ranked.reserve(members.size());
    for (const std::size_t i : members) {
        const judge::TallyResponse &r = tally.responses()[i];
        if (top.byTier() && !top.tiers.contains(r.tier, Qt::CaseInsensitive))
            continue;
        ranked.emplace_back(tally.reward(r, missing), i);
    }
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto &a, const auto &b) { return a.first > b.first; });
    if (!top.byTier() && ranked.size() > std::size_t(std::max(0, top.k)))
        ranked.resize(std::size_t(std::max(0, top.k)));
    std::vector<std::size_t> out;
    out.reserve(ranked.size());
    for (const auto &entry : ranked)
        out.push_back(entry.second);
    return out;
}

TopCount countVerdicts(const judge::VerdictTally &tally, const std::vector<std::size_t> &responses,
                       int criterion) {
    TopCount out;
    for (const std::size_t i : responses) {
        const auto v = tally.verdict(tally.responses()[i].firstCell + std::size_t(criterion));
        if (!v)
            continue;
        ++out.judged;
        out.yes += *v ? 1 : 0;
    }
    return out;
}

} // namespace rs::rubric
