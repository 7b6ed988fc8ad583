#include "criterionstats.h"

#include "deadrule.h"
#include "judge/verdicttally.h"
#include "store/database.h"
#include "topresponses.h"

#include <QHash>

#include <vector>

namespace rs::rubric {
namespace {

// The prompt's gold pairs with a winner, as (preferred, rejected) response ids.
Expected<std::vector<std::pair<qint64, qint64>>> decidedGoldPairs(store::Database &db, qint64 promptId) {
    auto st = db.prepare("SELECT response_a, response_b, preference FROM preferences"
                         " WHERE prompt_id = ?1 AND preference IS NOT NULL AND preference != 0.5"
                         " ORDER BY id");
    if (!st)
        return st.error();
    st->bind(1, std::int64_t(promptId));
    std::vector<std::pair<qint64, qint64>> out;
    auto read = st->forEach([&] {
        const qint64 a = st->columnInt(0);
        const qint64 b = st->columnInt(1);
        if (st->columnDouble(2) > 0.5)
            out.emplace_back(b, a);
        else
            out.emplace_back(a, b);
    });
    if (!read)
        return read.error();
    return out;
}

} // namespace

const CriterionStats *RubricStats::find(const QString &stableId) const {
    for (const auto &c : criteria)
        if (c.stableId == stableId)
            return &c;
    return nullptr;
}

Expected<RubricStats> criterionStats(store::Database &db, qint64 promptId, qint64 runId, int topK) {
    RubricStats out;
    auto run = judge::resolveRun(db, runId);
    if (!run)
        return run.error();
    out.runId = run->id;
    if (!out.runId)
        return out;
    judge::TallyOptions options;
    options.runId = out.runId;
    options.promptId = promptId;
    auto tally = judge::VerdictTally::load(db, options);
    if (!tally)
        return tally.error();
    const judge::VerdictTally &t = tally.value();
    if (t.prompts().empty())
        return out; // no rubric
    const judge::TallyPrompt &prompt = t.prompts().front();
    const std::vector<std::size_t> members = responsesByPrompt(t).front();
    // The same top and the same rule as the project-wide list of dead criteria (prune), so the
    // Rubric tab's "dead" flag and that list agree.
    const std::vector<std::size_t> top =
        topResponses(t, members, TopSelection{topK, {}}, judge::MissingPolicy::CountAsNo);
    out.topK = int(top.size());
    auto decided = decidedGoldPairs(db, promptId);
    if (!decided)
        return decided.error();
    QHash<qint64, std::size_t> indexOf;
    for (const std::size_t i : members)
        indexOf.insert(t.responses()[i].responseId, i);
    auto verdictOf = [&](qint64 responseId, int k) -> std::optional<bool> {
        const auto it = indexOf.constFind(responseId);
        return it == indexOf.cend() ? std::nullopt
                                    : t.verdict(t.responses()[*it].firstCell + std::size_t(k));
    };
    for (int k = 0; k < prompt.count; ++k) {
        const judge::TallyCriterion &c = t.criteria()[std::size_t(prompt.first) + std::size_t(k)];
        CriterionStats s;
        s.stableId = c.stableId;
        s.text = c.text;
        for (const std::size_t i : members) {
            const judge::TallyResponse &r = t.responses()[i];
            const auto v = t.verdict(r.firstCell + std::size_t(k));
            if (!v)
                continue;
            TierRate &tier = s.byTier[r.tier];
            ++tier.judged;
            ++s.overall.judged;
            tier.yes += *v ? 1 : 0;
            s.overall.yes += *v ? 1 : 0;
        }
        const TopCount counted = countVerdicts(t, top, k);
        s.topJudged = counted.judged;
        s.topYes = counted.yes;
        s.dead = deadWay(s.topYes, s.topJudged) != DeadWay::Alive;
        for (const auto &[preferred, rejected] : decided.value())
            s.gold.add(classifyPair(verdictOf(preferred, k), verdictOf(rejected, k)));
        out.criteria.push_back(std::move(s));
    }
    return out;
}

} // namespace rs::rubric
