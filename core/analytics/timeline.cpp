#include "timeline.h"

#include "store/database.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

namespace rs::analytics {
namespace {

qint64 idAt(const nlohmann::json &pair, size_t i) {
    if (!pair.is_array() || pair.size() <= i)
        return 0;
    const auto &v = pair[i];
    if (v.is_number_integer())
        return v.get<qint64>();
    if (v.is_string())
        return QString::fromStdString(v.get<std::string>()).toLongLong();
    return 0;
}

std::optional<double> numberAt(const nlohmann::json &j, const char *key) {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_number())
        return std::nullopt;
    return it->get<double>();
}

} // namespace

Expected<RefinementTimeline> refinementTimeline(store::Database &db, const MetricData &data,
                                                const MetricOptions &options) {
    RefinementTimeline out;
    auto st = db.prepare(
        "SELECT v.id, b.id, b.prompt_id, coalesce(v.origin_detail, '') FROM rubric_versions v"
        " JOIN rubrics b ON b.id = v.rubric_id WHERE v.origin = 'rtd'"
        " ORDER BY b.prompt_id, v.id");
    if (!st)
        return st.error();
    // Gold for the driving pair of a round, looked up either way round.
    std::map<std::pair<qint64, qint64>, double> goldB;
    for (const GoldPair &g : data.gold) {
        const qint64 a = data.responses[size_t(g.a)].responseId;
        const qint64 b = data.responses[size_t(g.b)].responseId;
        goldB[{a, b}] = g.preference;
        goldB[{b, a}] = 1 - g.preference;
    }
    auto read = st->forEach([&] {
        RtdRoundStats r;
        r.versionId = st->columnInt(0);
        r.rubricId = st->columnInt(1);
        r.promptId = st->columnInt(2);
        const std::string detail = st->columnText(3).toStdString();
        const nlohmann::json d = nlohmann::json::parse(detail, nullptr, false);
        if (d.is_object()) {
            if (auto round = numberAt(d, "round"))
                r.round = int(*round);
            const auto pair = d.find("pair");
            if (pair != d.end()) {
                r.pairA = idAt(*pair, 0);
                r.pairB = idAt(*pair, 1);
            }
            std::vector<double> scores;
            if (const auto s = d.find("scores"); s != d.end()) {
                if (s->is_array()) {
                    for (const auto &v : *s)
                        if (v.is_number())
                            scores.push_back(v.get<double>());
                } else if (s->is_object()) {
                    for (const auto &[k, v] : s->items())
                        if (v.is_number())
                            scores.push_back(v.get<double>());
                }
            }
            std::sort(scores.rbegin(), scores.rend());
            r.topScore = numberAt(d, "top_score");
            if (!r.topScore && !scores.empty())
                r.topScore = scores.front();
            // The round records the pair it picked (the best two), so its spread is a top-2 one.
            if (scores.size() >= 2)
                r.topKSpread =
                    scores.front() - scores[std::min(scores.size(), size_t(options.topK)) - 1];
            if (auto ties = numberAt(d, "ties_at_top"))
                r.tiedAtTop = *ties > 1;
            else if (scores.size() >= 2)
                r.tiedAtTop = scores[0] == scores[1];
            // Tail accuracy of the round: did the rubric that ranked the pool order the
            // driving pair as the gold judge does?
            if (const auto s = d.find("scores"); s != d.end() && s->is_array() && s->size() >= 2 &&
                                                 (*s)[0].is_number() && (*s)[1].is_number()) {
                const auto g = goldB.find({r.pairA, r.pairB});
                if (g != goldB.end() && g->second != 0.5) {
                    const double sa = (*s)[0].get<double>(), sb = (*s)[1].get<double>();
                    double credit = 0;
                    if (sa == sb)
                        credit = options.ties == TiePolicy::Half ? 0.5 : 0;
                    else
                        credit = (sb > sa) == (g->second > 0.5) ? 1 : 0;
                    r.tailAccuracy = Estimate{credit, 1};
                }
            }
        }
        out.rounds.push_back(r);
    });
    if (!read)
        return read.error();

    std::map<int, RoundSummary> byRound;
    std::map<int, std::pair<double, qint64>> spread, top, ties, tail;
    for (const RtdRoundStats &r : out.rounds) {
        RoundSummary &s = byRound[r.round];
        s.round = r.round;
        ++s.prompts;
        if (r.topScore) {
            top[r.round].first += *r.topScore;
            ++top[r.round].second;
        }
        if (r.topKSpread) {
            spread[r.round].first += *r.topKSpread;
            ++spread[r.round].second;
        }
        if (r.tiedAtTop) {
            ties[r.round].first += *r.tiedAtTop;
            ++ties[r.round].second;
        }
        if (r.tailAccuracy) {
            tail[r.round].first += r.tailAccuracy->value;
            ++tail[r.round].second;
        }
    }
    for (auto &[round, s] : byRound) {
        if (auto it = top.find(round); it != top.end())
            s.meanTopScore = it->second.first / double(it->second.second);
        if (auto it = spread.find(round); it != spread.end())
            s.meanTopKSpread = it->second.first / double(it->second.second);
        if (auto it = ties.find(round); it != ties.end())
            s.tieRate = Estimate{it->second.first / double(it->second.second), it->second.second};
        if (auto it = tail.find(round); it != tail.end())
            s.tailAccuracy =
                Estimate{it->second.first / double(it->second.second), it->second.second};
        out.summary.push_back(s);
    }
    return out;
}

} // namespace rs::analytics
