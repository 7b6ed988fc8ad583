#include "tophackpairs.h"

#include "judge/verdicttally.h"
#include "store/database.h"
#include "trainingstats.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace rs::analytics {
namespace {

/// One served reward of the top response's prompt at its step.
struct ServedRow final {
    qint64 servedId = 0;
    qint64 responseId = 0;
    double reward = 0;
};

/// What the log says about the top response's served reward besides what TopResponse holds.
struct ServedOrigin final {
    qint64 runId = 0; ///< 0: the run was deleted or never named
    qint64 rubricVersion = 0;
};

Expected<std::vector<ServedRow>> servedAtStep(store::Database &db, qint64 step, qint64 promptId) {
    // Ascending reward, ties by served id: the order the median is taken in.
    auto st = db.prepare("SELECT id, response_id, reward FROM served_rewards"
                         " WHERE step = ?1 AND prompt_id = ?2 AND status = 'ok'"
                         " AND reward IS NOT NULL AND response_id IS NOT NULL ORDER BY reward, id");
    if (!st)
        return st.error();
    st->bind(1, std::int64_t(step));
    st->bind(2, std::int64_t(promptId));
    std::vector<ServedRow> rows;
    auto read = st->forEach([&] {
        rows.push_back({st->columnInt(0), st->columnInt(1), st->columnDouble(2)});
    });
    if (!read)
        return read.error();
    return rows;
}

Expected<ServedOrigin> servedOrigin(store::Database &db, qint64 servedId) {
    auto st = db.prepare("SELECT coalesce(run_id, 0), coalesce(rubric_version_id, 0)"
                         " FROM served_rewards WHERE id = ?1");
    if (!st)
        return st.error();
    st->bind(1, std::int64_t(servedId));
    auto row = st->step();
    if (!row)
        return row.error();
    if (!row.value())
        return makeError(QStringLiteral("no served reward %1").arg(servedId));
    return ServedOrigin{st->columnInt(0), st->columnInt(1)};
}

/// The unserved fallback, read once per (run, prompt): several top responses of one prompt
/// share it.
class UnservedBest final {
public:
    explicit UnservedBest(store::Database &db)
        : m_db(db) {}

    /// Fills the pair's contrast, or its skip reason.
    Expected<void> fill(TopHackPair &pair, const ServedOrigin &origin) {
        if (origin.runId == 0) {
            pair.skipReason =
                QStringLiteral("the only response of its prompt at this step, and "
                               "its served reward names no judge run to rank others by");
            return {};
        }
        auto head =
            m_db.prepare("SELECT coalesce(head_version_id, 0) FROM rubrics WHERE prompt_id = ?1");
        if (!head)
            return head.error();
        head->bind(1, std::int64_t(pair.promptId));
        auto row = head->step();
        if (!row)
            return row.error();
        const qint64 current = row.value() ? head->columnInt(0) : 0;
        if (current != origin.rubricVersion) {
            // The tally scores under the current rubric: its rewards are not the served ones.
            pair.skipReason =
                QStringLiteral("the only response of its prompt at this step, and the "
                               "prompt's rubric changed since (version %1 served, %2 now)")
                    .arg(origin.rubricVersion)
                    .arg(current);
            return {};
        }
        auto best = bestOf(origin.runId, pair.promptId);
        if (!best)
            return best.error();
        if (best->unserved == 0) {
            pair.skipReason =
                QStringLiteral("the only response of its prompt at this step, and every "
                               "other response of the prompt was served: no never-served one "
                               "to compare with");
            return {};
        }
        if (best->responseId == 0) {
            pair.skipReason =
                QStringLiteral("the only response of its prompt at this step, and none of the "
                               "prompt's %1 never-served responses is fully judged in run %2")
                    .arg(best->unserved)
                    .arg(origin.runId);
            return {};
        }
        pair.source = ContrastSource::Unserved;
        pair.contrastResponseId = best->responseId;
        pair.contrastReward = best->reward;
        return {};
    }

private:
    struct Best final {
        qint64 responseId = 0; ///< 0: no never-served response is fully judged
        double reward = 0;
        qint64 unserved = 0; ///< the prompt's never-served responses, judged or not
    };

    /// The prompt's best never-served, completely judged response in the run.
    Expected<Best> bestOf(qint64 runId, qint64 promptId) {
        const std::pair<qint64, qint64> key{runId, promptId};
        if (auto it = m_best.find(key); it != m_best.end())
            return it->second;
        std::set<qint64> served;
        auto st = m_db.prepare("SELECT DISTINCT response_id FROM served_rewards"
                               " WHERE prompt_id = ?1 AND response_id IS NOT NULL");
        if (!st)
            return st.error();
        st->bind(1, std::int64_t(promptId));
        if (auto read = st->forEach([&] { served.insert(st->columnInt(0)); }); !read)
            return read.error();
        judge::TallyOptions options;
        options.runId = runId;
        options.promptId = promptId;
        auto tally = judge::VerdictTally::load(m_db, options);
        if (!tally)
            return tally.error();
        Best best;
        for (const judge::TallyResponse &r : tally->responses()) {
            if (r.promptId != promptId || served.count(r.responseId))
                continue;
            ++best.unserved;
            if (!tally->complete(r))
                continue;
            const double reward = tally->reward(r, judge::MissingPolicy::CountAsNo);
            // Responses come by id, so a tie keeps the lower id.
            if (best.responseId == 0 || reward > best.reward) {
                best.responseId = r.responseId;
                best.reward = reward;
            }
        }
        m_best.emplace(key, best);
        return best;
    }

    store::Database &m_db;
    std::map<std::pair<qint64, qint64>, Best> m_best;
};

} // namespace

QString contrastSourceName(ContrastSource source) {
    switch (source) {
    case ContrastSource::StepMedian:
        return QStringLiteral("median");
    case ContrastSource::Unserved:
        return QStringLiteral("unserved");
    case ContrastSource::None:
        break;
    }
    return QStringLiteral("none");
}

Expected<TopHackPlan> planTopHackPairs(store::Database &db, std::optional<qint64> step, int topK) {
    if (topK < 1)
        return makeError(QStringLiteral("the check needs at least one top response per step"));
    TrainingStatsOptions options;
    options.topK = topK;
    options.excerptChars = 0; // only the ranking is needed
    auto stats = loadTrainingStats(db, options);
    if (!stats)
        return stats.error();
    const auto &steps = stats->steps;
    if (steps.empty())
        return makeError(QStringLiteral("no rewards were served with a training step"));
    auto at = step ? std::find_if(steps.begin(), steps.end(),
                                  [&](const StepStats &s) { return s.step == *step; })
                   : std::prev(steps.end());
    if (at == steps.end())
        return makeError(QStringLiteral("no rewards were served at step %1").arg(*step));

    TopHackPlan plan;
    plan.step = at->step;
    UnservedBest unserved(db);
    for (const TopResponse &t : at->top) {
        TopHackPair pair;
        pair.step = plan.step;
        pair.servedId = t.servedId;
        pair.promptId = t.promptId;
        pair.topResponseId = t.responseId;
        pair.topReward = t.reward;
        if (t.responseId == 0) {
            pair.skipReason =
                QStringLiteral("its text was not stored, so the panel cannot read it");
            plan.pairs.push_back(std::move(pair));
            continue;
        }
        auto rows = servedAtStep(db, plan.step, t.promptId);
        if (!rows)
            return rows.error();
        std::vector<ServedRow> others;
        for (const ServedRow &r : rows.value())
            if (r.responseId != t.responseId)
                others.push_back(r);
        if (!others.empty()) {
            const ServedRow &median = others[others.size() / 2];
            pair.source = ContrastSource::StepMedian;
            pair.contrastResponseId = median.responseId;
            pair.contrastReward = median.reward;
        } else {
            auto origin = servedOrigin(db, t.servedId);
            if (!origin)
                return origin.error();
            if (auto filled = unserved.fill(pair, origin.value()); !filled)
                return filled.error();
        }
        plan.pairs.push_back(std::move(pair));
    }
    return plan;
}

} // namespace rs::analytics
