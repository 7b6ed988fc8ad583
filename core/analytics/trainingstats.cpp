#include "trainingstats.h"

#include "metricdata.h"
#include "stats.h"
#include "store/database.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <string_view>
#include <utility>

namespace rs::analytics {
namespace {

qint64 countWordsUtf8(std::string_view text) {
    qint64 words = 0;
    bool inWord = false;
    for (char c : text) {
        const bool space =
            c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
        words += !space && !inWord;
        inWord = !space;
    }
    return words;
}

using CriterionKey = std::pair<qint64, QString>; // prompt id, stable id

struct CriterionInfo final {
    QString text;
    double weight = 1;
    qint64 position = 0;
};

// What one step accumulates while the log is streamed in step order.
struct StepAccumulator final {
    StepStats stats;
    std::vector<double> rewards;
    std::vector<double> lengths;
    qint64 withText = 0;
    qint64 words = 0;
    qint64 formatted = 0;
    std::map<CriterionKey, std::pair<qint64, qint64>> verdicts; // yes, judged
};

bool ranksAbove(const TopResponse &a, const TopResponse &b) {
    return a.reward != b.reward ? a.reward > b.reward : a.servedId < b.servedId;
}

void finishStep(StepAccumulator &acc, const TrainingStatsOptions &options,
                const std::map<std::pair<qint64, CriterionKey>, CriterionInfo> &info,
                const std::map<CriterionKey, qint64> &newestVersion, TrainingStats &out) {
    StepStats &s = acc.stats;
    const auto n = double(acc.rewards.size());
    if (!acc.rewards.empty()) {
        s.meanReward = std::accumulate(acc.rewards.begin(), acc.rewards.end(), 0.0) / n;
        s.p10 = stats::quantile(acc.rewards, 0.1).value_or(0);
        s.p50 = stats::quantile(acc.rewards, 0.5).value_or(0);
        s.p90 = stats::quantile(acc.rewards, 0.9).value_or(0);
        s.meanChars = std::accumulate(acc.lengths.begin(), acc.lengths.end(), 0.0) / n;
        s.rewardLength = stats::spearman(acc.rewards, acc.lengths);
    }
    if (acc.withText > 0) {
        s.meanWords = double(acc.words) / double(acc.withText);
        s.formattedShare = double(acc.formatted) / double(acc.withText);
    }
    for (const auto &[key, counts] : acc.verdicts) {
        CriterionPassRate c;
        c.promptId = key.first;
        c.stableId = key.second;
        if (auto v = newestVersion.find(key); v != newestVersion.end())
            if (auto i = info.find({v->second, key}); i != info.end()) {
                c.text = i->second.text;
                c.weight = i->second.weight;
            }
        c.yes = counts.first;
        c.judged = counts.second;
        if (c.judged > 0) {
            c.passRate = double(c.yes) / double(c.judged);
            c.saturated = c.passRate >= options.saturatedHigh || c.passRate <= options.saturatedLow;
        }
        s.saturatedCriteria += c.saturated;
        s.criteria.push_back(std::move(c));
    }
    // Criteria of one prompt in rubric order (c2 before c10), not by string.
    auto position = [&](const CriterionPassRate &c) -> qint64 {
        const CriterionKey key{c.promptId, c.stableId};
        if (auto v = newestVersion.find(key); v != newestVersion.end())
            if (auto i = info.find({v->second, key}); i != info.end())
                return i->second.position;
        return 0;
    };
    std::stable_sort(s.criteria.begin(), s.criteria.end(),
                     [&](const CriterionPassRate &a, const CriterionPassRate &b) {
                         if (a.promptId != b.promptId)
                             return a.promptId < b.promptId;
                         return position(a) < position(b);
                     });
    out.steps.push_back(std::move(s));
}

Expected<std::map<std::pair<qint64, CriterionKey>, CriterionInfo>>
loadServedCriteria(store::Database &db) {
    auto st = db.prepare(
        "SELECT c.version_id, r.prompt_id, c.stable_id, c.text, c.weight, c.position"
        " FROM criteria c JOIN rubric_versions v ON v.id = c.version_id"
        " JOIN rubrics r ON r.id = v.rubric_id"
        " WHERE c.version_id IN (SELECT DISTINCT rubric_version_id FROM served_rewards)");
    if (!st)
        return st.error();
    std::map<std::pair<qint64, CriterionKey>, CriterionInfo> info;
    auto read = st->forEach([&] {
        info[{st->columnInt(0), {st->columnInt(1), st->columnText(2)}}] =
            CriterionInfo{st->columnText(3), st->columnDouble(4), st->columnInt(5)};
    });
    if (!read)
        return read.error();
    return info;
}

} // namespace

Expected<TrainingStats> loadTrainingStats(store::Database &db,
                                          const TrainingStatsOptions &options) {
    auto info = loadServedCriteria(db);
    if (!info)
        return info.error();
    // Rows come in step order, so one step is accumulated at a time and only the current
    // step's rewards and the top K texts are held.
    auto st = db.prepare(
        "SELECT s.id, s.step, s.status, s.reward, s.criteria, s.response_length, s.prompt_id,"
        " s.response_id, s.rubric_version_id, r.id IS NOT NULL, length(r.text), r.text"
        " FROM served_rewards s LEFT JOIN responses r ON r.id = s.response_id"
        " ORDER BY s.step, s.id");
    if (!st)
        return st.error();
    TrainingStats out;
    std::map<CriterionKey, qint64> newestVersion;
    std::optional<StepAccumulator> acc;
    std::optional<Error> parseError;
    auto read = st->forEach([&] {
        ++out.total;
        if (st->columnIsNull(1)) {
            ++out.withoutStep;
            return;
        }
        const qint64 step = st->columnInt(1);
        if (acc && acc->stats.step != step) {
            finishStep(*acc, options, info.value(), newestVersion, out);
            acc.reset();
        }
        if (!acc) {
            acc.emplace();
            acc->stats.step = step;
        }
        StepStats &s = acc->stats;
        const std::string_view status = st->columnUtf8(2);
        if (status == "failed") {
            ++s.failed;
            return;
        }
        if (status != "ok" || st->columnIsNull(3)) {
            ++s.unknownPrompt;
            return;
        }
        ++s.rewarded;
        const double reward = st->columnDouble(3);
        const bool hasText = st->columnInt(9) != 0;
        const std::string_view text = hasText ? st->columnUtf8(11) : std::string_view();
        const qint64 length = hasText ? st->columnInt(10) : st->columnInt(5);
        acc->rewards.push_back(reward);
        acc->lengths.push_back(double(length));
        if (hasText) {
            ++acc->withText;
            acc->words += countWordsUtf8(text);
            int bullets = 0, headers = 0;
            countFormatting(text, &bullets, &headers);
            acc->formatted += (bullets + headers) > 0;
        }

        const qint64 promptId = st->columnInt(6);
        const qint64 version = st->columnInt(8);
        if (!st->columnIsNull(4)) {
            const auto list = nlohmann::json::parse(st->columnUtf8(4), nullptr, false);
            if (!list.is_array()) {
                parseError = makeError(
                    QStringLiteral("served reward %1: unreadable criteria").arg(st->columnInt(0)));
                return;
            }
            for (const auto &c : list) {
                if (!c.is_object() || !c.contains("id") || !c["id"].is_string())
                    continue;
                const std::string verdict = c.value("verdict", std::string());
                if (verdict != "yes" && verdict != "no")
                    continue;
                CriterionKey key{promptId, QString::fromStdString(c["id"].get<std::string>())};
                auto &[yes, judged] = acc->verdicts[key];
                yes += verdict == "yes";
                ++judged;
                qint64 &newest = newestVersion[key];
                newest = std::max(newest, version);
            }
        }

        TopResponse t;
        t.servedId = st->columnInt(0);
        t.responseId = st->columnInt(7);
        t.promptId = promptId;
        t.reward = reward;
        t.length = length;
        auto &top = s.top;
        if (options.topK <= 0)
            return;
        if (int(top.size()) >= options.topK && !ranksAbove(t, top.back()))
            return;
        // The excerpt is made only for a response that enters the top K.
        t.excerpt = QString::fromUtf8(text.data(), qsizetype(std::min<std::size_t>(
                                                       text.size(), options.excerptChars * 4)))
                        .left(options.excerptChars);
        top.insert(std::upper_bound(top.begin(), top.end(), t, ranksAbove), std::move(t));
        if (int(top.size()) > options.topK)
            top.pop_back();
    });
    if (!read)
        return read.error();
    if (parseError)
        return *parseError;
    if (acc)
        finishStep(*acc, options, info.value(), newestVersion, out);
    // Each criterion against its first judged step (steps ascend).
    std::map<CriterionKey, double> first;
    for (StepStats &s : out.steps)
        for (CriterionPassRate &c : s.criteria) {
            if (c.judged == 0)
                continue;
            const auto [it, isFirst] = first.try_emplace({c.promptId, c.stableId}, c.passRate);
            if (!isFirst)
                c.changeSinceFirst = c.passRate - it->second;
        }
    return out;
}

std::vector<PassRatePoint> passRateTrend(const std::vector<StepStats> &steps, qint64 promptId,
                                         const QString &stableId) {
    std::vector<PassRatePoint> out;
    for (const StepStats &s : steps) {
        auto c =
            std::find_if(s.criteria.begin(), s.criteria.end(), [&](const CriterionPassRate &c) {
                return c.promptId == promptId && c.stableId == stableId;
            });
        if (c != s.criteria.end() && c->judged > 0)
            out.push_back({s.step, c->passRate, c->judged});
    }
    return out;
}

nlohmann::json toJson(const TrainingStats &stats) {
    using nlohmann::json;
    json steps = json::array();
    for (const StepStats &s : stats.steps) {
        json criteria = json::array();
        for (const CriterionPassRate &c : s.criteria)
            criteria.push_back({{"prompt_id", c.promptId},
                                {"criterion", c.stableId.toStdString()},
                                {"text", c.text.toStdString()},
                                {"weight", c.weight},
                                {"yes", c.yes},
                                {"judged", c.judged},
                                {"pass_rate", c.passRate},
                                {"saturated", c.saturated},
                                {"change_since_first",
                                 c.changeSinceFirst ? json(*c.changeSinceFirst) : json(nullptr)}});
        json top = json::array();
        for (const TopResponse &t : s.top)
            top.push_back({{"id", t.servedId},
                           {"response_id", t.responseId},
                           {"prompt_id", t.promptId},
                           {"reward", t.reward},
                           {"length", t.length},
                           {"excerpt", t.excerpt.toStdString()}});
        json corr = nullptr;
        if (s.rewardLength)
            corr = {{"rho", s.rewardLength->rho},
                    {"n", s.rewardLength->n},
                    {"p", s.rewardLength->pValue}};
        steps.push_back(
            {{"step", s.step},
             {"rewarded", s.rewarded},
             {"failed", s.failed},
             {"unknown_prompt", s.unknownPrompt},
             {"reward", {{"mean", s.meanReward}, {"p10", s.p10}, {"p50", s.p50}, {"p90", s.p90}}},
             {"length", {{"mean_chars", s.meanChars}, {"mean_words", s.meanWords}}},
             {"formatted_share", s.formattedShare},
             {"reward_length_spearman", corr},
             {"saturated_criteria", s.saturatedCriteria},
             {"criteria", criteria},
             {"top", top}});
    }
    return {{"served_rewards", stats.total}, {"without_step", stats.withoutStep}, {"steps", steps}};
}

} // namespace rs::analytics
