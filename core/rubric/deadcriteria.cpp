#include "deadcriteria.h"

#include "judge/verdicttally.h"
#include "textsimilarity.h"

#include <QHash>
#include <QSet>

#include <algorithm>

namespace rs::rubric {
namespace {

/// Groups the dead criteria by normalised text, counting each prompt once per text.
std::vector<DeadGroup> groupByText(std::vector<DeadCriterion> &dead) {
    QHash<QString, std::size_t> index;
    std::vector<DeadGroup> groups;
    QSet<QString> seen; // "prompt id|key": a prompt with the same text twice counts once
    std::vector<std::size_t> groupOf(dead.size());
    for (std::size_t i = 0; i < dead.size(); ++i) {
        const QString key = TextSimilarity::normalise(dead[i].text);
        auto it = index.constFind(key);
        if (it == index.cend()) {
            it = index.insert(key, groups.size());
            groups.push_back(DeadGroup{key, dead[i].text, 0, 0, 0});
        }
        groupOf[i] = *it;
        if (seen.contains(QString::number(dead[i].promptId) + QLatin1Char('|') + key))
            continue;
        seen.insert(QString::number(dead[i].promptId) + QLatin1Char('|') + key);
        DeadGroup &g = groups[*it];
        ++g.prompts;
        (dead[i].way == DeadWay::AllPass ? g.allPass : g.allFail) += 1;
    }
    for (std::size_t i = 0; i < dead.size(); ++i)
        dead[i].textPrompts = groups[groupOf[i]].prompts;
    return groups;
}

} // namespace

Expected<DeadCriteriaReport> deadCriteria(store::Database &db, const DeadCriteriaOptions &options) {
    if (!options.top.byTier() && options.top.k < 1)
        return makeError(
            QStringLiteral("the top needs at least one response (k = %1)").arg(options.top.k));
    if (options.minPrompts < 1)
        return makeError(QStringLiteral("the minimum number of prompts must be at least 1 (got %1)")
                             .arg(options.minPrompts));
    DeadCriteriaReport out;
    out.top = options.top;
    auto run = judge::resolveRun(db, options.runId);
    if (!run)
        return run.error();
    out.runId = run->id;
    if (!out.runId)
        return out;
    judge::TallyOptions tallyOptions;
    tallyOptions.runId = out.runId;
    if (options.promptIds.size() == 1)
        tallyOptions.promptId = options.promptIds.front();
    auto tally = judge::VerdictTally::load(db, tallyOptions);
    if (!tally)
        return tally.error();
    const judge::VerdictTally &t = tally.value();
    const QSet<qint64> wanted(options.promptIds.begin(), options.promptIds.end());
    const auto byPrompt = responsesByPrompt(t);
    std::vector<DeadCriterion> dead;
    for (std::size_t p = 0; p < t.prompts().size(); ++p) {
        const judge::TallyPrompt &prompt = t.prompts()[p];
        if (!wanted.isEmpty() && !wanted.contains(prompt.promptId))
            continue;
        const std::vector<std::size_t> top =
            topResponses(t, byPrompt[p], options.top, options.missing);
        if (top.empty())
            continue;
        ++out.promptsExamined;
        QList<qint64> topIds;
        for (const std::size_t i : top)
            topIds.push_back(t.responses()[i].responseId);
        for (int k = 0; k < prompt.count; ++k) {
            const TopCount counted = countVerdicts(t, top, k);
            if (counted.judged >= kMinJudgedForDead)
                ++out.criteriaExamined;
            const DeadWay way = deadWay(counted.yes, counted.judged);
            if (way == DeadWay::Alive)
                continue;
            const judge::TallyCriterion &c =
                t.criteria()[std::size_t(prompt.first) + std::size_t(k)];
            dead.push_back(DeadCriterion{prompt.promptId, c.stableId, c.text, c.weight, way,
                                         counted.judged, int(top.size()), c.check != nullptr, 1,
                                         topIds});
        }
    }
    std::stable_sort(dead.begin(), dead.end(), [](const DeadCriterion &a, const DeadCriterion &b) {
        return a.promptId < b.promptId;
    });
    std::vector<DeadGroup> groups = groupByText(dead);

    QSet<qint64> prompts;
    for (DeadCriterion &d : dead) {
        if (d.textPrompts < options.minPrompts)
            continue;
        prompts.insert(d.promptId);
        out.checks += d.check ? 1 : 0;
        out.dead.push_back(std::move(d));
    }
    out.promptsWithDead = int(prompts.size());
    const int many = std::max(2, options.minPrompts);
    for (DeadGroup &g : groups)
        if (g.prompts >= many)
            out.groups.push_back(std::move(g));
    std::stable_sort(out.groups.begin(), out.groups.end(),
                     [](const DeadGroup &a, const DeadGroup &b) { return a.prompts > b.prompts; });
    return out;
}

} // namespace rs::rubric
